import { z } from 'zod';

/** The contract's intents, sub-labels, personas, emotions and escalation reasons (../shared/contract.md). */
export const Intents = z.enum([
    'greeting',
    'thanks_bye',
    'human_agent',
    'faq',
    'repair',
    'complaint',
    'emergency',
    'fee_arrears',
    'ticket_status',
    'out_of_scope',
]);
export type Intent = z.infer<typeof Intents>;

export const ComplaintCategories = z.enum(['facility', 'service', 'fee']);
export const ArrearsTypes = z.enum(['hardship', 'service_dissatisfaction', 'misconception']);
export type ArrearsType = z.infer<typeof ArrearsTypes>;
export const SubLabel = z.union([ComplaintCategories, ArrearsTypes]);
export type SubLabel = z.infer<typeof SubLabel>;

export const Personas = z.enum(['elderly', 'young', 'default']);
export type Persona = z.infer<typeof Personas>;

export const Emotions = z.enum(['calm', 'upset', 'angry']);
export type Emotion = z.infer<typeof Emotions>;

export const EscalationReasons = z.enum([
    'emergency',
    'requested',
    'legal_threat',
    'abuse',
    'safety',
    'repeated_anger',
    'not_understood',
    'unresolved',
]);
export type EscalationReason = z.infer<typeof EscalationReasons>;

/** What one message can signal by itself (lexicon hits); the other reasons come from counters over turns. */
export const Signals = EscalationReasons.exclude(['repeated_anger', 'not_understood', 'unresolved']);
export type Signal = z.infer<typeof Signals>;

/** The value of the `linli.nlu` trace: its shape is part of the external contract. */
export const NluTraceValue = z.object({
    intent: Intents,
    sub: SubLabel.nullable(),
    confidence: z.number().min(0).max(1),
    persona: Personas,
    emotion: Emotions,
    escalate: z.boolean(),
    escalationReason: EscalationReasons.nullable(),
    /** Beyond the contract's fields: the escalation rule that fired (knowledge/escalation-rules.json), or null. */
    escalationRule: z.string().nullable().optional(),
    /** Beyond the contract's fields: where the conversation was when the message came (issue 11). */
    dialogState: z
        .object({
            /** The flow waiting for an answer (repair, complaint, emergency …), or null. */
            openFlow: z.string().nullable(),
            /** The slot that flow asked for (location, phone, preferredTime …), or null. */
            awaitedSlot: z.string().nullable(),
            /** The conversation's handoff when one is open (queued or active), else null. */
            handoffStatus: z.enum(['queued', 'active']).nullable(),
            /** The knowledge entry Linli answered with in the previous turn, or null. */
            lastAnswer: z.string().nullable(),
            /** The last ticket this conversation wrote (its id), or null. */
            lastTicket: z.string().nullable(),
            /** A message without words (👍, ？？？, 。。。, English), read apart from the classifier; null otherwise. */
            shape: z.enum(['thanks', 'puzzled', 'punctuation', 'english']).nullable(),
        })
        .optional(),
    /** Beyond the contract's fields: the two readings Linli asked the owner to choose between (the first is `intent`). */
    clarify: z.array(z.string()).optional(),
    /** Beyond the contract's fields: what the message names (phones, times, money, place, surname). */
    entities: z
        .object({
            phones: z.array(z.string()),
            times: z.array(z.object({ text: z.string(), values: z.array(z.string()) })),
            money: z.array(z.object({ text: z.string(), amount: z.number(), unit: z.string() })),
            address: z.object({ building: z.string().optional(), unit: z.string().optional(), floor: z.string().optional(), room: z.string().optional() }).nullable(),
            surname: z.string().nullable(),
        })
        .optional(),
});
export type NluTraceValue = z.infer<typeof NluTraceValue>;

/** What the recogniser found in one message, before conversation-level rules (counters) are applied. */
export interface Understanding {
    intent: Intent;
    sub: SubLabel | null;
    confidence: number;
    persona: Persona;
    emotion: Emotion;
    /** Escalation that this message alone calls for (an emergency, a request for a person, a threat). */
    escalationReason: EscalationReason | null;
    /** The escalation words the lexicons found, most serious first (what the escalation rules' `signal` tests). */
    signals: Signal[];
    /** The owner says Linli's answer did not help. */
    unhelpful: boolean;
    /** Two readings too close to guess between (the first is `intent`, the most likely): Linli asks which. */
    clarify: [string, string] | null;
}
