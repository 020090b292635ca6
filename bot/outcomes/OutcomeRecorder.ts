import { randomUUID } from 'node:crypto';
import type { Handoff } from '../handoff/Handoff';
import type { Logger } from '../logger';
import { maskPii } from '../pii';
import type { Ticket } from '../tickets/Ticket';
import type { GapKind, OutcomeChange, OutcomeRef } from './Outcome';
import type { OutcomeStore } from './OutcomeStore';

/** A gap's words as kept: enough to see what was asked, not a pasted document. */
const GAP_CHARS = 200;

/**
 * Writes what happened in conversations where it happens — the turn pipeline (start, first reply, knowledge gaps),
 * the handoff service (queued, accepted, first human reply, released) and the ticket service (closed, back at work,
 * the owner's rating). Figures for the report, not something an owner was promised: a write that fails is logged and
 * the owner's turn or the agent's action goes on.
 */
export class OutcomeRecorder {
    constructor(
        private readonly store: OutcomeStore,
        private readonly logger: Logger,
        private readonly clock: () => Date,
    ) {}

    /** The first turn of a conversation: when the owner wrote and when Linli first answered (null: it did not). */
    conversationBegan(ref: OutcomeRef, startedAt: Date, firstReplyAt: Date | null): Promise<void> {
        const change: OutcomeChange = { startedAt: startedAt.toISOString(), ...(firstReplyAt ? { firstBotReplyAt: firstReplyAt.toISOString() } : {}) };
        return this.write(ref, firstReplyAt ?? startedAt, change, startedAt);
    }

    /** An owner's message Linli had no answer for, masked before it is kept. */
    async knowledgeGap(channelId: string, kind: GapKind, text: string): Promise<void> {
        const masked = maskPii(text).trim().slice(0, GAP_CHARS);
        if (!masked) return;
        await this.store
            .addGap({ id: randomUUID(), at: this.clock().toISOString(), channelId, kind, text: masked })
            .catch((error: unknown) => this.logger.warn({ err: error, channelId }, 'knowledge gap not recorded'));
    }

    handoffQueued(handoff: Handoff): Promise<void> {
        return this.onHandoff(handoff, { handoff: { at: handoff.since, reason: handoff.reason, priority: handoff.priority } });
    }

    handoffAccepted(handoff: Handoff): Promise<void> {
        return this.onHandoff(handoff, { accepted: { at: handoff.acceptedAt ?? this.clock().toISOString(), agent: handoff.agent ?? 'unknown' } });
    }

    agentReplied(handoff: Handoff): Promise<void> {
        return this.onHandoff(handoff, { humanReplyAt: this.clock().toISOString() });
    }

    handoffReleased(handoff: Handoff): Promise<void> {
        return this.onHandoff(handoff, { resolved: { at: handoff.closedAt ?? this.clock().toISOString(), how: 'agent_released' } });
    }

    /** A ticket changed: closed (resolved), back at work after an answer (reopened), or rated at the follow-up. */
    async ticketChanged(before: Ticket, after: Ticket): Promise<void> {
        const change: OutcomeChange = {};
        if (after.status === 'closed' && before.status !== 'closed') change.resolved = { at: after.updatedAt, how: 'ticket_closed' };
        if (after.status === 'in_progress' && (before.status === 'replied' || before.status === 'revisited')) change.reopened = true;
        const score = after.followUp.result?.satisfaction;
        if (typeof score === 'number' && after.followUp.doneAt && after.followUp.doneAt !== before.followUp.doneAt) change.satisfaction = { score, at: after.followUp.doneAt };
        if (Object.keys(change).length === 0) return;
        // Filed under the conversation that was under way when the ticket was opened, however much later it changed.
        await this.write(after, new Date(after.createdAt), change);
    }

    private onHandoff(handoff: Handoff, change: OutcomeChange): Promise<void> {
        return this.write(handoff, new Date(handoff.since), change);
    }

    private async write(ref: OutcomeRef, at: Date, change: OutcomeChange, startsAt?: Date): Promise<void> {
        const { conversationId, channelId, ownerId } = ref;
        await this.store
            .record({ conversationId, channelId, ownerId }, at, change, startsAt)
            .then(() => undefined)
            .catch((error: unknown) => this.logger.warn({ err: error, conversationId }, 'conversation outcome not recorded'));
    }
}
