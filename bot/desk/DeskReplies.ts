import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import { Lines } from '../Lines';
import { EscalationReasons } from '../nlu/NluResult';

/** The steps of a conversation with an owner, in the order an agent takes them (suggestions follow this order). */
export const DeskSteps = z.enum(['greet', 'safety', 'empathise', 'clarify', 'listen', 'resolve', 'follow_up', 'close']);
export type DeskStep = z.infer<typeof DeskSteps>;

export const DeskReply = z
    .object({
        /** What the agent types after `/` in the reply box: a few lower-case letters or digits. */
        code: z.string().regex(/^[a-z0-9]{1,8}$/, 'a short code is 1–8 lower-case letters or digits'),
        title: z.string().min(1).max(20),
        step: DeskSteps,
        /** The escalation reasons the line fits; absent means any case. */
        reasons: z.array(EscalationReasons).min(1).optional(),
        say: Lines,
    })
    .strict();
export type DeskReply = z.infer<typeof DeskReply>;

export const DeskRepliesFile = z
    .object({
        $comment: z.string().optional(),
        steps: z.array(DeskSteps),
        /** How {agent} is said when nobody holds the case yet (a supervisor reading the queue). */
        unnamedAgent: z.string().min(1),
        replies: z.array(DeskReply).min(1),
    })
    .strict()
    .superRefine((file, ctx) => {
        const seen = new Set<string>();
        file.replies.forEach((reply, i) => {
            if (seen.has(reply.code)) ctx.addIssue({ code: 'custom', path: ['replies', i, 'code'], message: `short code /${reply.code} is used twice` });
            seen.add(reply.code);
            // {summary} restates the owner's words: only a complaint is restated, so such a line must name its reasons.
            const restates = Object.values(reply.say).some((variants) => variants?.some((v) => v.includes('{summary}')));
            if (restates && !reply.reasons) ctx.addIssue({ code: 'custom', path: ['replies', i, 'reasons'], message: 'a line with {summary} must list the complaint reasons it fits' });
        });
    });
export type DeskRepliesFile = z.infer<typeof DeskRepliesFile>;

/** The agents' reply library (scripts/desk/replies.json), checked at start-up. */
export function loadDeskReplies(file: string): DeskRepliesFile {
    return loadDataFile(file, DeskRepliesFile);
}
