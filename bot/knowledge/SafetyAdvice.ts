import { z } from 'zod';
import { loadDataFile } from '../dataFile';

export const SafetyFile = z.object({
    default: z.array(z.string().min(1)).min(1),
    hazards: z
        .array(
            z.object({
                id: z.string().min(1),
                /** Said instead of the usual emergency opening when this hazard comes first (a person at risk needs care, not orders). */
                intro: z.string().min(1).optional(),
                words: z.array(z.string().min(1)).min(1),
                steps: z.array(z.string().min(1)).min(1),
            }),
        )
        .min(1),
});

/** What to do right now, by hazard: the steps come before anything else in an emergency. */
export class SafetyAdvice {
    constructor(private readonly data: z.infer<typeof SafetyFile>) {}

    static fromFile(file: string): SafetyAdvice {
        return new SafetyAdvice(loadDataFile(file, SafetyFile));
    }

    /** The hazards the message names, in the file's order; none named → the general advice. */
    stepsFor(text: string): { hazards: string[]; steps: string[]; intro?: string } {
        const matched = this.data.hazards.filter((h) => h.words.some((w) => text.includes(w)));
        if (matched.length === 0) return { hazards: [], steps: this.data.default };
        const intro = matched[0]?.intro;
        return { hazards: matched.map((h) => h.id), steps: matched.flatMap((h) => h.steps), ...(intro ? { intro } : {}) };
    }

    /** The advice as one message: the hazard's own opening, or `opening`, then the numbered steps. */
    message(text: string, opening: string): { text: string; hazards: string[] } {
        const { steps, hazards, intro } = this.stepsFor(text);
        return { text: `${intro ?? opening}\n${steps.map((step, i) => `${i + 1}. ${step}`).join('\n')}`, hazards };
    }
}
