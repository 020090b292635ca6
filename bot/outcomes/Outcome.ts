import { z } from 'zod';
import { EscalationReasons } from '../nlu/NluResult';

const Iso = z.iso.datetime({ offset: true });

/** How a conversation's matter ended: an agent handed it back to the bot, or its ticket was closed. */
export const ResolutionKinds = z.enum(['agent_released', 'ticket_closed']);

/**
 * What happened in one conversation, the figures the monthly report and the supervisor view are made of. A
 * conversation is an episode: a channel that keeps one conversation id per owner (WeChat's `wx:<openid>`) begins a
 * new record when the conversation state starts afresh, so an owner who writes again next month is counted again.
 */
export const Outcome = z.object({
    id: z.string().min(1),
    conversationId: z.string().min(1),
    channelId: z.string().min(1),
    ownerId: z.string().min(1),
    /** The owner's first message (or the first event on record, for a conversation a person opened). */
    startedAt: Iso,
    firstBotReplyAt: Iso.nullable(),
    /** The first handoff of the conversation: when and why it went to a person. */
    handoff: z.object({ at: Iso, reason: EscalationReasons, priority: z.number().int().min(1).max(5) }).nullable(),
    handoffs: z.number().int().min(0),
    acceptedAt: Iso.nullable(),
    /** The agent who accepted last. */
    agent: z.string().nullable(),
    firstHumanReplyAt: Iso.nullable(),
    resolution: z.object({ at: Iso, how: ResolutionKinds }).nullable(),
    /** A matter back at work after it was answered (the follow-up found it not fixed), or a person asked for again after it was resolved. */
    reopens: z.number().int().min(0),
    /** The owner's rating (1–5) at the follow-up visit, the latest one. */
    satisfaction: z.object({ score: z.number().int().min(1).max(5), at: Iso }).nullable(),
    /** Optimistic concurrency: every write bumps it. */
    version: z.number().int().min(1),
});
export type Outcome = z.infer<typeof Outcome>;

/** Whose conversation a change belongs to. */
export interface OutcomeRef {
    conversationId: string;
    channelId: string;
    ownerId: string;
}

/** One thing that happened; `applyOutcomeChange` folds it into the record (the same rules in every store). */
export interface OutcomeChange {
    /** The conversation began at this time (earlier than a record an event of the same turn opened). */
    startedAt?: string;
    firstBotReplyAt?: string;
    handoff?: { at: string; reason: z.infer<typeof EscalationReasons>; priority: number };
    accepted?: { at: string; agent: string };
    humanReplyAt?: string;
    resolved?: { at: string; how: z.infer<typeof ResolutionKinds> };
    reopened?: true;
    satisfaction?: { score: number; at: string };
}

export function freshOutcome(id: string, ref: OutcomeRef, startedAt: string): Outcome {
    return {
        id,
        conversationId: ref.conversationId,
        channelId: ref.channelId,
        ownerId: ref.ownerId,
        startedAt,
        firstBotReplyAt: null,
        handoff: null,
        handoffs: 0,
        acceptedAt: null,
        agent: null,
        firstHumanReplyAt: null,
        resolution: null,
        reopens: 0,
        satisfaction: null,
        version: 0,
    };
}

const earlier = (a: string | null, b: string): string => (a === null || Date.parse(b) < Date.parse(a) ? b : a);

/** The record after `change`: firsts stay first, counts count, a reopen takes the resolution back. Version + 1. */
export function applyOutcomeChange(current: Outcome, change: OutcomeChange): Outcome {
    const next: Outcome = { ...current, version: current.version + 1 };
    if (change.startedAt) next.startedAt = earlier(next.startedAt, change.startedAt);
    if (change.firstBotReplyAt) next.firstBotReplyAt = earlier(next.firstBotReplyAt, change.firstBotReplyAt);
    if (change.handoff) {
        next.handoffs += 1;
        if (!next.handoff || Date.parse(change.handoff.at) < Date.parse(next.handoff.at)) next.handoff = change.handoff;
        // Asking for a person again after the matter was settled: it was not settled.
        if (next.resolution && Date.parse(change.handoff.at) > Date.parse(next.resolution.at)) {
            next.reopens += 1;
            next.resolution = null;
        }
    }
    if (change.accepted) {
        next.acceptedAt = earlier(next.acceptedAt, change.accepted.at);
        next.agent = change.accepted.agent;
    }
    if (change.humanReplyAt) next.firstHumanReplyAt = earlier(next.firstHumanReplyAt, change.humanReplyAt);
    if (change.reopened) {
        next.reopens += 1;
        next.resolution = null;
    }
    if (change.resolved) next.resolution = change.resolved;
    if (change.satisfaction) next.satisfaction = change.satisfaction;
    return next;
}

/** Why a message was a knowledge gap: the knowledge had no answer good enough ("not sure"), or it is out of scope. */
export const GapKinds = z.enum(['unsure', 'out_of_scope']);
export type GapKind = z.infer<typeof GapKinds>;

/** An owner's message Linli could not answer, kept masked (bot/pii.ts) for the monthly review of the knowledge. */
export const KnowledgeGap = z.object({
    id: z.string().min(1),
    at: Iso,
    channelId: z.string().min(1),
    kind: GapKinds,
    /** Masked before it is stored: phone and ID numbers never reach the report. */
    text: z.string().min(1).max(500),
});
export type KnowledgeGap = z.infer<typeof KnowledgeGap>;
