import { z } from 'zod';
import { Moods, Steps } from './RehearsalData';

/** The scorecard of the contract (`POST /api/rehearsals/:id/finish`). */
export const Scorecard = z.object({
    overall: z.number().int().min(0).max(100),
    steps: z.array(
        z.object({
            step: Steps,
            score: z.number().int().min(0).max(100),
            /** Quotes of the trainee's own words (each ≥ 4 characters), or the one word "missing". */
            evidence: z.array(z.string().min(1)),
            reason: z.string().min(1),
            /** The script's model line, beside a weak step; null for a step done well. */
            model: z.string().nullable(),
        }),
    ),
    /** Turns count from 0, the trainee's first reply. */
    forbidden: z.array(z.object({ phrase: z.string().min(1), turn: z.number().int().min(0), kind: z.enum(['phrase', 'unsafe']) })),
    mood: Moods,
    goalMet: z.boolean(),
    tips: z.array(z.string().min(1)).min(1).max(3),
});
export type Scorecard = z.infer<typeof Scorecard>;
