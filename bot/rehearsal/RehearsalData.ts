import { z } from 'zod';
import { Lines } from '../Lines';

/** The zod shapes of the rehearsal data under scripts/rehearsal/ (checked at start-up by ScenarioBook). */

export const Moods = z.enum(['calm', 'upset', 'angry', 'satisfied', 'gave_up']);
export type Mood = z.infer<typeof Moods>;

export const Steps = z.enum(['listen', 'empathise', 'clarify', 'resolve', 'follow_up']);
export type Step = z.infer<typeof Steps>;

export const QuestionKinds = z.enum(['place', 'time', 'extent', 'want']);
export type QuestionKind = z.infer<typeof QuestionKinds>;

const Words = z.array(z.string().min(1));
const Lines3 = z.object({ default: z.array(z.string().min(1)).min(3), elderly: z.array(z.string().min(1)).min(3), young: z.array(z.string().min(1)).min(3) });

/** One scenario: the owner, what they hold, what they want, and what a good trainee does for them. */
export const Scenario = z
    .object({
        id: z.string().regex(/^[a-z_]+$/),
        title: z.string().min(1),
        /** The flow script it rehearses: its forbidden phrases and its model lines. */
        script: z.string().min(1).optional(),
        persona: z.enum(['default', 'elderly', 'young']),
        mood: z.enum(['calm', 'upset', 'angry']),
        /** What the owner keeps asking for, in their own words (fills {need}). */
        need: Lines3,
        opening: Lines3,
        /** The facts the owner holds, each revealed only when a question of one of its kinds is asked. */
        facts: z.array(z.object({ id: z.string().min(1), asks: z.array(QuestionKinds).min(1), value: z.string().min(1), say: Lines }).strict()).min(2),
        goal: z
            .object({
                description: z.string().min(1),
                /** The lawful treatment: the first group is the core action, the others complete it; all of them meet the goal. */
                treatment: z.array(z.object({ name: z.string().min(1), words: Words.min(1) }).strict()).min(1),
                /** A treatment that is wrong for this case (pressing a hardship owner to pay half…). */
                wrong: Words,
            })
            .strict(),
        /** Values for the script's model lines ({summary}, {ticketId} …). */
        modelValues: z.record(z.string(), z.union([z.string(), z.number()])),
        /** Model lines for steps the script has none of, or says differently for this case. */
        models: z.partialRecord(Steps, z.string().min(4)),
    })
    .strict();
export type Scenario = z.infer<typeof Scenario>;

export const OwnerStates = z.enum(['calm', 'upset', 'angry', 'satisfied', 'gave_up', 'ask_when', 'ask_time', 'correction', 'confirm', 'ask_follow_up', 'closing', 'calmed', 'nothing_to_add']);
export type OwnerState = z.infer<typeof OwnerStates>;

/** What the owner says in each state, per persona, at least three lines each. */
export const OwnerLinesFile = z.object({ lines: z.record(OwnerStates, Lines3) });
export type OwnerLinesFile = z.infer<typeof OwnerLinesFile>;

const Score = z.number().min(0).max(100);

export const CueFile = z.object({
    empathy: z.object({ feeling: Words, generic: Words, excuse: Words, specificOverlap: z.number().int().min(1) }),
    blame: Words,
    rush: Words,
    argue: Words,
    questions: z.record(QuestionKinds, Words),
    questionMarks: Words,
    restate: z.object({ markers: Words.min(1), strong: Words, checks: Words.min(1), commonWords: Words, minOverlap: z.number().int().min(1), echoOverlap: z.number().int().min(1) }),
    factVocabulary: z.record(z.string().regex(/^[a-z]+$/), z.array(Words.min(1))),
    resolve: z.object({ vague: Words, concrete: Words, notTimes: Words, today: z.string().min(1), base: Score, perTreatment: Score, vagueScore: Score, noTimeScore: Score, wrongCap: Score }),
    followUp: z.object({ active: Words, passive: Words, when: Words, beforeVisit: Words.default([]), good: Score, noWhen: Score, passiveScore: Score }),
    negators: Words,
    excused: Words,
    ownerSubject: z.object({ phrases: Words, subjects: Words, blockers: Words }),
    numerals: z.record(z.string().length(1), z.number().int().min(0).max(10)),
    unsafe: z.array(z.object({ name: z.string().min(1), words: Words.min(1), needs: Words, why: z.string().min(1) }).strict()),
    scoring: z.object({
        weights: z.record(Steps, z.number().min(0).max(1)),
        phrasePenalty: Score,
        unsafePenalty: Score,
        weakBelow: Score,
        listen: z.object({ one: Score, two: Score, three: Score }),
        empathise: z.object({ specific: Score, feeling: Score, generic: Score, excuse: Score }),
        clarify: z.object({ checked: Score, unchecked: Score, echo: Score, wrong: Score }),
    }),
});
export type CueFile = z.infer<typeof CueFile>;

const Reasons = <T extends string>(keys: readonly [T, ...T[]]) => z.object(Object.fromEntries(keys.map((k) => [k, z.string().min(1)])) as Record<T, z.ZodString>);

export const CardFile = z.object({
    missing: z.string().min(1),
    reasons: z.object({
        listen: Reasons(['none', 'one', 'many']),
        empathise: Reasons(['none', 'blamed', 'generic', 'excuse', 'feeling', 'specific']),
        clarify: Reasons(['none', 'echo', 'unchecked', 'wrong', 'checked']),
        resolve: Reasons(['none', 'unsafe', 'noTime', 'vague', 'wrongTreatment', 'concrete']),
        follow_up: Reasons(['none', 'passive', 'noWhen', 'good']),
    }),
    tips: z.object({ forbidden: z.string(), unsafe: z.string(), keep: z.string() }).extend(Object.fromEntries(Steps.options.map((s) => [s, z.string().min(1)])) as Record<Step, z.ZodString>),
    console: z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string())])),
});
export type CardFile = z.infer<typeof CardFile>;
