import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import { Lines } from '../Lines';
import { TicketCategories, TicketKinds } from '../tickets/Ticket';

export const Slots = z.enum(['location', 'phone', 'preferredTime', 'situation']);
export type Slot = z.infer<typeof Slots>;

const Rubric = z.string().min(4);
const Words = z.array(z.string().min(1));
export const FlowStep = z.discriminatedUnion('purpose', [
    z.object({ purpose: z.literal('empathise'), say: Lines, rubric: Rubric }),
    z.object({ purpose: z.literal('clarify'), say: Lines, reask: Lines, rubric: Rubric }),
    z.object({
        purpose: z.literal('listen'),
        slot: Slots,
        recognizer: z.enum(['address', 'phone', 'datetime', 'text']),
        say: Lines,
        reask: Lines,
        rubric: Rubric,
        /** Answers taken as given though the recogniser finds nothing in them ("随时都可以" for a time). */
        accept: Words.optional(),
        /** Words that show the owner's first message already answers this (text) slot; the message is kept as the answer. */
        answeredBy: Words.optional(),
        /** Answers that decline to give it ("不想留电话"): the flow goes on without the value, after `refused`. */
        refuse: Words.optional(),
        /** Said when the owner declines: accepted gracefully, never asked again as if the answer were malformed. */
        refused: Lines.optional(),
    }),
    z.object({
        purpose: z.literal('resolve'),
        say: Lines,
        /** Said instead when the repair is in a public area (ticket.publicAreaWords): free to the owner, no quote. */
        publicSay: Lines.optional(),
        rubric: Rubric,
    }),
    z.object({ purpose: z.literal('follow_up'), say: Lines, rubric: Rubric }),
]);
export type FlowStep = z.infer<typeof FlowStep>;

/** A training script as data: ordered steps tagged by purpose, the slots they fill, forbidden phrasings, rubrics. */
export const FlowScript = z
    .object({
        /** Which conversations start this flow: an intent, or for arrears the intent and its cause. */
        trigger: z.enum(['complaint', 'repair', 'fee_arrears/hardship', 'fee_arrears/service_dissatisfaction']),
        id: z.string().regex(/^[a-z_]+$/),
        title: z.string().min(1),
        /**
         * The ticket the flow opens: its kind, its category (fixed, or the intent's sub-label when `from_intent`), the
         * department per category, and whether a leak's follow-up waits for the first rain.
         */
        ticket: z.object({
            kind: TicketKinds,
            category: z.union([TicketCategories, z.literal('from_intent')]),
            departments: z.record(TicketCategories, z.string().min(1)),
            request: z.string().max(200).optional(),
            /** Words in the owner's account that make the ticket urgent (its follow-up within 24 h). */
            urgentWords: Words.default([]),
            /** Repairs: words that make it a leak, whose follow-up waits for the first rain (staff trigger it)… */
            leakWords: Words.default([]),
            /** …when the leak is where rain gets in (roofs, exterior walls, windows): a dripping tap is not revisited after rain. */
            rainPlaces: Words.default([]),
            /**
             * Repairs in a public area (street lights, corridor lights, mailbox locks, intercoms, lifts…): paid from the
             * estate's common funds, not by the owner, so the reply says so; the owner's home address is not their place.
             */
            publicAreaWords: Words.default([]),
        }),
        steps: z.array(FlowStep).min(3),
        forbidden: z.array(z.string().min(2)),
    })
    .superRefine((script, ctx) => {
        const purposes = script.steps.map((s) => s.purpose);
        for (const needed of ['empathise', 'resolve'] as const) {
            if (!purposes.includes(needed)) ctx.addIssue({ code: 'custom', path: ['steps'], message: `a "${needed}" step is required` });
        }
        if (script.ticket.leakWords.length > 0 && script.ticket.kind !== 'repair') {
            ctx.addIssue({ code: 'custom', path: ['ticket', 'leakWords'], message: 'only repairs wait for the first rain' });
        }
        script.steps.forEach((step, i) => {
            if (step.purpose === 'listen' && step.answeredBy && step.recognizer !== 'text') {
                ctx.addIssue({ code: 'custom', path: ['steps', i, 'answeredBy'], message: 'only a text slot can be answered by the first message as a whole' });
            }
        });
        if (purposes.indexOf('resolve') < purposes.lastIndexOf('listen')) {
            ctx.addIssue({ code: 'custom', path: ['steps'], message: 'every "listen" step must come before "resolve"' });
        }
    });
export type FlowScript = z.infer<typeof FlowScript>;

/** Every flow script under scripts/ (every file but phrases.json); a broken one stops start-up naming file and field. */
export function loadFlowScripts(dir: string): Map<string, FlowScript> {
    const scripts = new Map<string, FlowScript>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'phrases.json').sort()) {
        const script = loadDataFile(join(dir, file), FlowScript);
        scripts.set(script.id, script);
    }
    return scripts;
}

export type ListenStep = Extract<FlowStep, { purpose: 'listen' }>;

/** What the owner's own account makes of the ticket: urgent (follow-up within 24 h), a leak rain caused (follow-up after rain). */
export function ticketFlags(script: FlowScript, account: string): { urgent: boolean; leak: boolean } {
    const leak = mentions(account, script.ticket.leakWords) && mentions(account, script.ticket.rainPlaces);
    return { urgent: mentions(account, script.ticket.urgentWords), leak };
}

/** Whether the repair is in a public area (free to the owner). */
export function inPublicArea(script: FlowScript, account: string): boolean {
    return mentions(account, script.ticket.publicAreaWords);
}

/** Whether an answer declines to give the step's value (`refuse`). */
export function refusesToGive(step: ListenStep, answer: string): boolean {
    return step.refuse !== undefined && mentions(answer, step.refuse);
}

/** Whether the first message already answers a listen step (its `answeredBy` words). */
export function answeredByFirstMessage(step: ListenStep, firstMessage: string): boolean {
    return step.answeredBy !== undefined && mentions(firstMessage, step.answeredBy);
}

/** Whether an answer is one the step takes as given though its recogniser finds nothing (`accept`). */
export function acceptedAsGiven(step: ListenStep, answer: string): boolean {
    return step.accept !== undefined && mentions(answer, step.accept);
}

function mentions(text: string, words: readonly string[]): boolean {
    return words.some((word) => text.includes(word));
}
