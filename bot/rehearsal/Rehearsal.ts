import { z } from 'zod';
import { Personas } from '../nlu/NluResult';
import { Moods } from './RehearsalData';
import { Scorecard } from './Scorecard';

/** One rehearsal as stored: who practised which scenario, every turn, the owner's memory and, once finished, the card. */
export const Rehearsal = z.object({
    id: z.string().min(1),
    scenario: z.string().min(1),
    persona: Personas,
    seed: z.number().int(),
    /** The authenticated staff name of the trainee. */
    trainee: z.string().min(1),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    /** The owner has ended the conversation (satisfied, or gave up). */
    ended: z.boolean(),
    transcript: z.array(z.object({ role: z.enum(['owner', 'trainee']), text: z.string(), mood: Moods.optional(), at: z.string() })),
    owner: z.object({
        mood: Moods,
        revealed: z.array(z.string()),
        resolved: z.boolean(),
        idle: z.number().int(),
        provoked: z.number().int(),
        ended: z.boolean(),
        draws: z.number().int(),
    }),
    scorecard: Scorecard.nullable(),
});
export type Rehearsal = z.infer<typeof Rehearsal>;
