import { z } from 'zod';
import { Emotions, EscalationReasons, Personas } from '../nlu/NluResult';

export const HandoffStatuses = z.enum(['queued', 'active', 'closed']);
export type HandoffStatus = z.infer<typeof HandoffStatuses>;

/** How a handoff ended: released by an agent back to the bot, or nobody accepted it in time (a call-back ticket). */
export const HandoffOutcomes = z.enum(['released', 'timed_out']);

/** One conversation handed to people: queued until an agent accepts, active while the agent talks, then closed. */
export const Handoff = z.object({
    conversationId: z.string().min(1),
    channelId: z.string().min(1),
    ownerId: z.string().min(1),
    status: HandoffStatuses,
    reason: EscalationReasons,
    /** The escalation rule that fired (knowledge/escalation-rules.json). */
    rule: z.string().nullable(),
    /** 1 is the most urgent; the queue is ordered by priority, then by waiting time. */
    priority: z.number().int().min(1).max(5),
    ticketId: z.string().nullable(),
    persona: Personas,
    emotion: Emotions,
    /** A few lines on what the owner wants, for the agent who picks it up. */
    summary: z.string(),
    /** When it was queued (ISO 8601). */
    since: z.string(),
    acceptedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    agent: z.string().nullable(),
    outcome: HandoffOutcomes.nullable(),
    /** Where the owner can be reached (Bot Framework conversation reference). */
    reference: z.record(z.string(), z.unknown()),
    /** Optimistic concurrency: every write bumps it; a write with a stale version is refused. */
    version: z.number().int().min(1),
});
export type Handoff = z.infer<typeof Handoff>;

export class HandoffConflictError extends Error {
    constructor(conversationId: string) {
        super(`handoff ${conversationId} was changed by someone else; read it again`);
        this.name = 'HandoffConflictError';
    }
}

/** Queue order: most urgent first, then whoever has waited longest. */
export function queueOrder(a: Handoff, b: Handoff): number {
    return a.priority - b.priority || Date.parse(a.since) - Date.parse(b.since);
}
