import { z } from 'zod';
import { Emotions, EscalationReasons, Personas } from '../nlu/NluResult';
import { compareIds } from '../paging/compareIds';

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
    /** Who the owner is, as their profile or ticket knows it (the queue shows it); null when nothing is known. */
    owner: z
        .object({ name: z.string().max(64).optional(), building: z.string().max(32).optional(), unit: z.string().max(32).optional(), room: z.string().max(32).optional() })
        .nullable()
        .default(null),
    /** The agent it is offered to now (the dispatcher's choice), and since when; null when not on offer. */
    offeredTo: z.string().nullable().default(null),
    offeredAt: z.string().nullable().default(null),
    /** Agents this wait was offered to already, so an unanswered offer moves on to someone else first. */
    offeredBefore: z
        // Redis's Lua cjson writes an empty array back as {}: read that as the empty list it was.
        .preprocess((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 ? [] : v), z.array(z.string()))
        .default([]),
    /** When an urgent (priority 1–2) handoff waited too long and every console was alerted; null before. */
    escalatedAt: z.string().nullable().default(null),
    /** When the owner in danger was last reminded of the safety steps while waiting. */
    remindedAt: z.string().nullable().default(null),
    /** Where the owner can be reached (Bot Framework conversation reference). */
    reference: z.record(z.string(), z.unknown()),
    /** Optimistic concurrency: every write bumps it; a write with a stale version is refused. */
    version: z.number().int().min(1),
});
export type Handoff = z.infer<typeof Handoff>;
export type HandoffOwner = NonNullable<Handoff['owner']>;

export class HandoffConflictError extends Error {
    constructor(conversationId: string) {
        super(`handoff ${conversationId} was changed by someone else; read it again`);
        this.name = 'HandoffConflictError';
    }
}

/**
 * Priorities up to this one are urgent (danger, harm, a person at risk): the contract puts every one of them ahead
 * of the rest of the queue, so a flood of ordinary requests can never push an emergency off the first page.
 */
export const URGENT_PRIORITY = 2;
export const HandoffPriorities = [1, 2, 3, 4, 5] as const;

/**
 * Where a handoff stands in queue order: its tier (1 and 2 are their own tiers, 3–5 share the last one, oldest
 * first), then its queue time in ms, then its conversation id so equal times still have one order. Page cursors carry
 * exactly this; the stores index it.
 */
export const HandoffPosition = z.object({
    tier: z.number().int().min(1).max(URGENT_PRIORITY + 1),
    // Up to the year 2286: the Redis store scores a position as tier × 10¹³ + since, exact in a double.
    since: z.number().int().min(0).max(9_999_999_999_999),
    conversationId: z.string().min(1).max(1000),
});
export type HandoffPosition = z.infer<typeof HandoffPosition>;

export function queueTier(priority: number): number {
    return Math.min(priority, URGENT_PRIORITY + 1);
}

export function queuePosition(h: Handoff): HandoffPosition {
    return { tier: queueTier(h.priority), since: Date.parse(h.since), conversationId: h.conversationId };
}

/** Queue order: the urgent tiers first, then whoever has waited longest (the order of the agents' API and console). */
export function comparePositions(a: HandoffPosition, b: HandoffPosition): number {
    return a.tier - b.tier || a.since - b.since || compareIds(a.conversationId, b.conversationId);
}
