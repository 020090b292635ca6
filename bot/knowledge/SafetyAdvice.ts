import { z } from 'zod';
import { loadDataFile } from '../dataFile';

const Words = z.array(z.string().min(1)).min(1);

export const SafetyFile = z.object({
    default: z.array(z.string().min(1)).min(1),
    /** How long an emergency keeps the conversation's thread (its follow-up messages go to it), and why that long. */
    thread: z.object({ openMinutes: z.number().int().min(1).max(1440), why: z.string().min(10) }),
    hazards: z
        .array(
            z.object({
                id: z.string().min(1),
                /** Said instead of the usual emergency opening when this hazard comes first (a person at risk needs care, not orders). */
                intro: z.string().min(1).optional(),
                words: Words,
                steps: z.array(z.string().min(1)).min(1),
                /**
                 * Situations of the hazard that need other steps (a seep from upstairs: the owner's own main valve does
                 * not stop it). The first whose words the message holds replaces `steps`.
                 */
                situations: z.array(z.object({ id: z.string().min(1), words: Words, steps: z.array(z.string().min(1)).min(1) })).default([]),
                /**
                 * The owner's questions while the emergency is open (where the main valve is; a low phone battery while
                 * trapped), answered in the situation they are in: `situations` limits an answer to those ("own" is the
                 * hazard without a situation); the first that fits answers.
                 */
                questions: z.array(z.object({ words: Words, situations: z.array(z.string().min(1)).optional(), answer: z.string().min(1) })).default([]),
            }),
        )
        .min(1),
});
export type SafetyFile = z.infer<typeof SafetyFile>;

/** A hazard named in an emergency, and the situation of it the owner described ("own" when none). */
export interface NamedHazard {
    id: string;
    situation: string;
}

/** The situation id of a hazard that has none of the file's situations. */
const OWN = 'own';

/** What to do right now, by hazard: the steps come before anything else in an emergency. */
export class SafetyAdvice {
    constructor(private readonly data: SafetyFile) {}

    static fromFile(file: string): SafetyAdvice {
        return new SafetyAdvice(loadDataFile(file, SafetyFile));
    }

    get openMinutes(): number {
        return this.data.thread.openMinutes;
    }

    /** The hazards the message names, each in its situation, in the file's order. */
    named(text: string): NamedHazard[] {
        return this.data.hazards
            .filter((h) => h.words.some((w) => text.includes(w)))
            .map((h) => ({ id: h.id, situation: h.situations.find((s) => s.words.some((w) => text.includes(w)))?.id ?? OWN }));
    }

    /** The hazards the message names, in the file's order; none named → the general advice. */
    stepsFor(text: string): { hazards: string[]; steps: string[]; intro?: string; named: NamedHazard[] } {
        const named = this.named(text);
        if (named.length === 0) return { hazards: [], steps: this.data.default, named };
        const intro = this.hazard(named[0]!.id)?.intro;
        const steps = named.flatMap(({ id, situation }) => {
            const hazard = this.hazard(id);
            return hazard?.situations.find((s) => s.id === situation)?.steps ?? hazard?.steps ?? [];
        });
        return { hazards: named.map((h) => h.id), steps, named, ...(intro ? { intro } : {}) };
    }

    /** The advice as one message: the hazard's own opening, or `opening`, then the numbered steps. */
    message(text: string, opening: string): { text: string; hazards: string[]; named: NamedHazard[] } {
        const { steps, hazards, intro, named } = this.stepsFor(text);
        return { text: `${intro ?? opening}\n${steps.map((step, i) => `${i + 1}. ${step}`).join('\n')}`, hazards, named };
    }

    /** The answer to an owner's question about the hazards of their open emergency, in their situation; null when none fits. */
    answer(open: readonly NamedHazard[], text: string): string | null {
        for (const { id, situation } of open) {
            const question = this.hazard(id)?.questions.find((q) => q.words.some((w) => text.includes(w)) && (!q.situations || q.situations.includes(situation)));
            if (question) return question.answer;
        }
        return null;
    }

    private hazard(id: string): SafetyFile['hazards'][number] | undefined {
        return this.data.hazards.find((h) => h.id === id);
    }
}
