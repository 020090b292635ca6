import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import { EscalationReasons } from '../nlu/NluResult';

/**
 * knowledge/handoff.json: the staff-facing wording of the call-back ticket, and the words the agents' queue shows for
 * each reason, priority and channel (so a row reads 紧急 · 紧急情况 · 微信, not "1 emergency wechat").
 */
export const HandoffSettings = z
    .object({
        $comment: z.string().optional(),
        callBack: z.object({ department: z.string().min(1).max(64), request: z.string().min(1), description: z.string().min(1) }).strict(),
        /** An agent's message as the owner reads it: must hold {text}; {agent} is the agent's display name. */
        signature: z.string().includes('{text}'),
        words: z
            .object({
                reasons: z.record(EscalationReasons, z.string().min(1)),
                priorities: z.object({ 1: z.string().min(1), 2: z.string().min(1), 3: z.string().min(1), 4: z.string().min(1), 5: z.string().min(1) }).strict(),
                channels: z.record(z.string(), z.string().min(1)),
                otherChannel: z.string().min(1),
            })
            .strict(),
    })
    .strict();
export type HandoffSettings = z.infer<typeof HandoffSettings>;

export function loadHandoffSettings(file: string): HandoffSettings {
    return loadDataFile(file, HandoffSettings);
}
