import { z } from 'zod';
import { loadDataFile } from '../dataFile';

/** knowledge/handoff.json: the staff-facing wording of the call-back ticket, kept as data like every other line. */
export const HandoffSettings = z
    .object({
        $comment: z.string().optional(),
        callBack: z.object({ department: z.string().min(1).max(64), request: z.string().min(1), description: z.string().min(1) }).strict(),
    })
    .strict();
export type HandoffSettings = z.infer<typeof HandoffSettings>;

export function loadHandoffSettings(file: string): HandoffSettings {
    return loadDataFile(file, HandoffSettings);
}
