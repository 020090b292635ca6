import { z } from 'zod';
import { EscalationReasons, Emotions, Intents, Signals } from '../nlu/NluResult';
import { TicketKinds } from '../tickets/Ticket';

export const Counters = z.enum(['angry', 'notUnderstood', 'unhelpful']);
export type Counter = z.infer<typeof Counters>;

const Condition = z
    .object({
        intent: z.array(Intents).min(1).optional(),
        emotion: z.array(Emotions).min(1).optional(),
        signal: z.array(Signals).min(1).optional(),
        counter: z.object({ name: Counters, atLeast: z.number().int().min(1).max(20) }).optional(),
        /** The kind of ticket the message leads to (a complaint, a repair, an emergency, an instalment request). */
        ticketKind: z.array(TicketKinds).min(1).optional(),
    })
    .strict()
    .refine((c) => Object.keys(c).length > 0, { message: 'a rule needs at least one condition' });

const Action = z.discriminatedUnion('type', [
    z
        .object({
            /** Hand the conversation to a person now. */
            type: z.literal('handoff'),
            reason: EscalationReasons,
            /** 1 is the most urgent; the agents' queue is ordered by it, then by waiting time. */
            priority: z.number().int().min(1).max(5),
        })
        .strict(),
    /** Answer as usual and offer a person; the owner who takes it up asks for one, which a handoff rule catches. */
    z.object({ type: z.literal('offer') }).strict(),
]);

export const EscalationRule = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'snake_case'), when: Condition, action: Action }).strict();
export type EscalationRule = z.infer<typeof EscalationRule>;

export const EscalationRuleFile = z
    .object({ $comment: z.string().optional(), rules: z.array(EscalationRule).min(1) })
    .strict()
    .superRefine((file, ctx) => {
        const names = new Set<string>();
        file.rules.forEach((rule, i) => {
            if (names.has(rule.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `duplicate rule name "${rule.name}"` });
            names.add(rule.name);
        });
        // Every reason the contract names must be reachable, or an owner could never be handed over for it.
        const reasons = new Set(file.rules.flatMap((r) => (r.action.type === 'handoff' ? [r.action.reason] : [])));
        const missing = EscalationReasons.options.filter((r) => !reasons.has(r));
        if (missing.length > 0) ctx.addIssue({ code: 'custom', path: ['rules'], message: `no rule escalates for: ${missing.join(', ')}` });
    });
export type EscalationRuleFile = z.infer<typeof EscalationRuleFile>;
