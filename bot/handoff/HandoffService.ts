import { EventFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import { fillLine } from '../Lines';
import type { EscalationReason, Emotion, Persona } from '../nlu/NluResult';
import type { HandoffSettings } from './HandoffSettings';
import type { Logger } from '../logger';
import type { Phrasebook } from '../Phrasebook';
import { conversationStepKey } from '../tickets/ConversationStep';
import type { Ticket } from '../tickets/Ticket';
import type { TicketPatch, TicketService } from '../tickets/TicketService';
import type { TranscriptEntry, TranscriptStore } from '../transcripts/TranscriptStore';
import { HandoffConflictError, queuePosition, type Handoff, type HandoffPosition, type HandoffStatus } from './Handoff';
import { HandoffNotFoundError, HandoffStateError, OwnerUnreachableError } from './HandoffErrors';
import type { FeedEvent, HandoffFeed } from './HandoffFeed';
import { reachOwner } from '../proactive/reachOwner';
import { OutsideWindowError } from '../channels/OutsideWindowError';
import type { HandoffStore, PriorityCounts } from './HandoffStore';
import type { OutcomeRecorder } from '../outcomes/OutcomeRecorder';

/** Turn-state key: set while an agent's words are sent, so the transcript records them as the agent's. */
export const AGENT_SPEAKING = Symbol('linli.agentSpeaking');

export interface HandoffServiceDeps {
    store: HandoffStore;
    transcripts: TranscriptStore;
    feed: HandoffFeed;
    tickets: TicketService;
    phrasebook: Phrasebook;
    clock: () => Date;
    /** Runs logic in the owner's conversation on the owner's own channel (the adapter's continueConversation). */
    continueConversation: (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;
    /** How long a handoff may wait for an agent before the owner is offered a call back. */
    acceptTimeoutMs: number;
    /** For the wait the owner is told: minutes an agent needs per owner ahead in the queue. */
    minutesPerOwner: number;
    /** The call-back ticket's wording (knowledge/handoff.json). */
    settings: HandoffSettings;
    logger: Logger;
    /** Where handoffs, accepts, first human replies and releases are recorded for the report (never throws). */
    outcomes?: OutcomeRecorder;
}

/** An accept or release: what is stored now, and whether the owner's channel took the news. */
export interface HandoffChange {
    handoff: Handoff;
    ownerNotified: boolean;
}

export interface HandoffRequest {
    reference: Partial<ConversationReference>;
    reason: EscalationReason;
    rule: string | null;
    /** From the rule that fired; without one, the most urgent for danger and harm, else middling. */
    priority: number | null;
    /** A ticket opened for this escalation (an emergency's); otherwise the conversation's newest open one is linked. */
    ticketId: string | null;
    persona: Persona;
    emotion: Emotion;
    /** What the owner said in this turn (not in the stored transcript yet: a turn's lines are written when it ends). */
    lastWords: string;
}

/** One page of the agents' queue in queue order, with what the whole status holds. */
export interface HandoffPage {
    handoffs: Handoff[];
    total: number;
    countsByPriority: PriorityCounts;
    /** Where the next page starts; null on the last page. */
    next: HandoffPosition | null;
}

/** Handoffs the timeout sweep reads per step (it walks the whole queue, a page at a time). */
const SWEEP_PAGE = 200;

/** Handoffs remembered as answered by an agent (a day's busy desk fits many times over). */
const REPLIED_MEMORY = 10_000;

/** One handoff of a conversation (a conversation may be handed over again later). */
const handoffKey = (h: Handoff): string => `${h.conversationId}\u0000${h.since}`;

/** Owner lines of the transcript in the summary the agent sees first. */
const SUMMARY_LINES = 5;

export interface QueuedHandoff {
    handoff: Handoff;
    /** Owners ahead in the queue (more urgent, or waiting longer). */
    ahead: number;
    minutes: number;
}

/**
 * Conversations handed to people: queued → active (an agent accepted) → closed (released, or nobody accepted in
 * time and a call-back ticket was written). Every change is told to the owner on their own channel, written to the
 * transcript with the agent's name, and published on the live feed.
 */
export class HandoffService {
    /**
     * Handoffs whose first agent reply this instance has recorded: later replies skip the write. Another instance (or
     * a restart) writes once more at most, and the store keeps the first time anyway. Bounded: cleared when full.
     */
    private readonly replied = new Set<string>();

    constructor(private readonly deps: HandoffServiceDeps) {}

    private remember(key: string): void {
        if (this.replied.size >= REPLIED_MEMORY) this.replied.clear();
        this.replied.add(key);
    }

    async initiate(request: HandoffRequest): Promise<QueuedHandoff> {
        const { reference } = request;
        const conversationId = reference.conversation?.id;
        if (!conversationId || !reference.channelId) throw new Error('a handoff needs the owner conversation reference');
        const ownerId = reference.user?.id ?? 'unknown';
        const now = this.deps.clock().toISOString();
        const [ticketId, earlier] = await Promise.all([
            request.ticketId ?? this.openTicketOf(ownerId, conversationId),
            this.deps.transcripts.read(conversationId).catch(() => []),
        ]);
        const ownerLines = earlier.filter((e) => e.from === 'owner' && e.text).map((e) => e.text ?? '');
        const summary = [...ownerLines, request.lastWords].filter(Boolean).slice(-SUMMARY_LINES).join(' / ');
        const priority = request.priority ?? (request.reason === 'emergency' || request.reason === 'safety' ? 1 : 3);
        let handoff = await this.deps.store.open({
            conversationId,
            channelId: reference.channelId,
            ownerId,
            status: 'queued',
            reason: request.reason,
            rule: request.rule,
            priority,
            ticketId,
            persona: request.persona,
            emotion: request.emotion,
            summary: summary.slice(0, 500),
            since: now,
            acceptedAt: null,
            closedAt: null,
            agent: null,
            outcome: null,
            reference: reference as Record<string, unknown>,
            version: 1,
        });
        if (handoff.status === 'queued' && handoff.since !== now && priority < handoff.priority) handoff = await this.moveUp(handoff, request, priority);
        const ahead = handoff.status === 'queued' ? await this.deps.store.countBefore('queued', queuePosition(handoff)) : 0;
        await this.deps.transcripts.append(conversationId, [{ at: now, from: 'system', event: 'handoff.queued', text: handoff.reason }]);
        // A new handoff, not the one the conversation was already waiting in.
        if (handoff.since === now) await this.deps.outcomes?.handoffQueued(handoff);
        await this.deps.feed.publish({ type: 'queued', handoff });
        return { handoff, ahead, minutes: Math.max(1, (ahead + 1) * this.deps.minutesPerOwner) };
    }

    /**
     * Danger told while the conversation already waits for a person: the handoff it has takes the more urgent reason
     * and priority (the owner is told it comes first), rather than waiting behind ordinary requests.
     */
    private async moveUp(waiting: Handoff, request: HandoffRequest, priority: number): Promise<Handoff> {
        const next: Handoff = { ...waiting, reason: request.reason, rule: request.rule, priority, version: waiting.version + 1 };
        try {
            await this.deps.store.replace(next);
            return next;
        } catch (error) {
            // An agent took it meanwhile: a person is with the owner already.
            if (error instanceof HandoffConflictError) return waiting;
            throw error;
        }
    }

    /** The conversation's newest ticket that is not closed, so the agent sees what the owner already reported. */
    private async openTicketOf(ownerId: string, conversationId: string): Promise<string | null> {
        const owned = await this.deps.tickets.list({ ownerId }, 20).catch(() => []);
        return owned.find((t) => t.conversationId === conversationId && t.status !== 'closed')?.id ?? null;
    }

    get(conversationId: string): Promise<Handoff | null> {
        return this.deps.store.get(conversationId);
    }

    /** `limit` handoffs of a status in queue order after `after`; `next` is set only when more follow. */
    async page(status: HandoffStatus, limit: number, after: HandoffPosition | null): Promise<HandoffPage> {
        const [handoffs, total, countsByPriority] = await Promise.all([
            this.deps.store.page(status, limit + 1, after),
            this.deps.store.count(status),
            this.deps.store.countsByPriority(status),
        ]);
        const shown = handoffs.slice(0, limit);
        const last = shown.at(-1);
        return { handoffs: shown, total, countsByPriority, next: handoffs.length > limit && last ? queuePosition(last) : null };
    }

    count(status: HandoffStatus): Promise<number> {
        return this.deps.store.count(status);
    }

    transcript(conversationId: string): Promise<TranscriptEntry[]> {
        return this.deps.transcripts.read(conversationId);
    }

    async accept(conversationId: string, agent: string): Promise<HandoffChange> {
        const current = await this.require(conversationId, 'queued');
        const now = this.deps.clock().toISOString();
        const handoff: Handoff = { ...current, status: 'active', agent, acceptedAt: now, version: current.version + 1 };
        await this.deps.store.replace(handoff);
        await this.record(handoff, { at: now, from: 'system', agent, event: 'handoff.accepted' }, 'accepted');
        await this.deps.outcomes?.handoffAccepted(handoff);
        const ownerNotified = await this.toOwner(handoff, async (context) => {
            await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'accepted'));
            await this.speakAs(context, agent, this.deps.phrasebook.say('handoff_accepted', handoff.persona, { agent }));
        });
        return { handoff, ownerNotified };
    }

    async sendAgentMessage(conversationId: string, agent: string, text: string): Promise<void> {
        const handoff = await this.require(conversationId, 'active');
        if (handoff.agent !== agent) throw new HandoffStateError(`conversation ${conversationId} is with ${handoff.agent ?? 'nobody'}, not ${agent}`);
        // The agent must know when the words did not arrive: nothing is recorded as said, and the caller hears why.
        const outcome = await reachOwner(this.deps.continueConversation, handoff.reference as Partial<ConversationReference>, (context) => this.speakAs(context, agent, text));
        if (!outcome.ok) {
            this.deps.logger.warn({ err: outcome.error, conversationId, channelId: handoff.channelId }, 'agent message not delivered');
            // A channel with a messaging window (WeChat) that is closed: not a fault, the owner must write first.
            if (outcome.error instanceof OutsideWindowError) throw outcome.error;
            throw new OwnerUnreachableError(conversationId);
        }
        await this.deps.feed.publish({ type: 'message', conversationId, entry: { at: this.deps.clock().toISOString(), from: 'agent', agent, text } });
        // Only the first reply of a handoff is a figure; later ones cost no write.
        if (!this.replied.has(handoffKey(handoff))) {
            await this.deps.outcomes?.agentReplied(handoff);
            this.remember(handoffKey(handoff));
        }
    }

    async release(conversationId: string, agent: string): Promise<HandoffChange> {
        const current = await this.require(conversationId, 'active');
        if (current.agent !== agent) throw new HandoffStateError(`conversation ${conversationId} is with ${current.agent ?? 'nobody'}, not ${agent}`);
        const now = this.deps.clock().toISOString();
        const handoff: Handoff = { ...current, status: 'closed', closedAt: now, outcome: 'released', version: current.version + 1 };
        await this.deps.store.replace(handoff);
        await this.record(handoff, { at: now, from: 'system', agent, event: 'handoff.released' }, 'released');
        await this.deps.outcomes?.handoffReleased(handoff);
        const ownerNotified = await this.toOwner(handoff, async (context) => {
            await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'completed'));
            await context.sendActivity(this.deps.phrasebook.say('handoff_released', handoff.persona));
        });
        return { handoff, ownerNotified };
    }

    /**
     * An owner's message after the handoff: on the feed for the agent (the transcript has it). While the handoff is
     * still queued its summary takes the words too, so whoever accepts sees what the owner added while waiting.
     * Returns the handoff as it now stands.
     */
    async ownerMessage(handoff: Handoff, text: string): Promise<Handoff> {
        const at = this.deps.clock().toISOString();
        await this.deps.feed.publish({ type: 'message', conversationId: handoff.conversationId, entry: { at, from: 'owner', text } });
        if (handoff.status !== 'queued' || !text) return handoff;
        const lines = [...handoff.summary.split(' / ').filter(Boolean), text].slice(-SUMMARY_LINES);
        const next: Handoff = { ...handoff, summary: lines.join(' / ').slice(-500), version: handoff.version + 1 };
        try {
            await this.deps.store.replace(next);
            return next;
        } catch (error) {
            // An agent accepted in the meantime: the words are on the feed and in the transcript all the same.
            if (error instanceof HandoffConflictError) return handoff;
            throw error;
        }
    }

    /** How many are ahead of a queued handoff and how long the wait should be (the same reckoning as `initiate`). */
    async waitOf(handoff: Handoff): Promise<{ ahead: number; minutes: number }> {
        const ahead = handoff.status === 'queued' ? await this.deps.store.countBefore('queued', queuePosition(handoff)) : 0;
        return { ahead, minutes: Math.max(1, (ahead + 1) * this.deps.minutesPerOwner) };
    }

    /**
     * Something the owner's channel reports about the owner (on WeChat: they unfollowed), for an agent holding or about
     * to take the conversation: in its transcript and on the live feed. False when no handoff is open.
     */
    async channelNotice(conversationId: string, event: string, text: string): Promise<boolean> {
        const handoff = await this.deps.store.get(conversationId);
        if (!handoff || handoff.status === 'closed') return false;
        const entry: TranscriptEntry = { at: this.deps.clock().toISOString(), from: 'system', event, text };
        await this.deps.transcripts.append(conversationId, [entry]);
        await this.deps.feed.publish({ type: 'message', conversationId, entry });
        return true;
    }

    /** A staff change to a ticket, in its conversation's transcript under the staff member's name. */
    async recordTicketChange(ticket: Ticket, patch: TicketPatch, staff: string): Promise<void> {
        const what = [patch.status && `${ticket.id} → ${patch.status}`, patch.handledBy && `handledBy ${patch.handledBy}`, patch.department, patch.note]
            .filter(Boolean)
            .join('; ');
        await this.deps.transcripts.append(ticket.conversationId, [{ at: this.deps.clock().toISOString(), from: 'system', agent: staff, event: 'ticket.updated', text: what || ticket.id }]);
    }

    /** Closes every handoff that waited longer than the timeout: a call-back ticket, and the owner is told. */
    async expireUnaccepted(): Promise<Handoff[]> {
        const now = this.deps.clock();
        const expired: Handoff[] = [];
        // Every queued handoff, a page at a time: closing one does not move the keyset cursor, so none is skipped.
        for (let after: HandoffPosition | null = null, more = true; more; ) {
            const page = await this.deps.store.page('queued', SWEEP_PAGE, after);
            more = page.length === SWEEP_PAGE;
            after = page.length > 0 ? queuePosition(page[page.length - 1]!) : null;
            const overdue = page.filter((h) => now.getTime() - Date.parse(h.since) >= this.deps.acceptTimeoutMs);
            for (const current of overdue) expired.push(await this.expire(current, now));
        }
        return expired;
    }

    /** Closes one handoff nobody accepted: a call-back ticket, the transcript, the feed, and the owner is told. */
    private async expire(current: Handoff, now: Date): Promise<Handoff> {
        const { callBack } = this.deps.settings;
        const ticket = await this.deps.tickets.create({
            // A call-back, not a complaint: the owner asked for a person, not to complain (it would pad the complaint report).
            kind: 'callback',
            category: current.reason === 'emergency' ? 'emergency' : 'service',
            channelId: current.channelId,
            conversationId: current.conversationId,
            ownerId: current.ownerId,
            medium: 'chat',
            contact: {},
            location: null,
            description: fillLine(callBack.description, { reason: current.reason, summary: current.summary }).slice(0, 2000),
            request: callBack.request,
            subject: null,
            department: callBack.department,
            urgent: current.priority <= 2,
            // One call-back per wait: a sweep that wrote the ticket but failed to close the handoff reuses it next time.
        }, { idempotencyKey: conversationStepKey(current.conversationId, 'handoff', current.since, 'call_back') });
        const handoff: Handoff = { ...current, status: 'closed', closedAt: now.toISOString(), outcome: 'timed_out', ticketId: ticket.id, version: current.version + 1 };
        await this.deps.store.replace(handoff);
        await this.record(handoff, { at: now.toISOString(), from: 'system', event: 'handoff.timed_out', text: ticket.id }, 'timed_out');
        await this.toOwner(handoff, async (context) => {
            await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'failed', 'no agent accepted in time'));
            await context.sendActivity(this.deps.phrasebook.say('handoff_timeout', handoff.persona, { ticketId: ticket.id }));
        });
        return handoff;
    }

    private async require(conversationId: string, status: HandoffStatus): Promise<Handoff> {
        const handoff = await this.deps.store.get(conversationId);
        if (!handoff) throw new HandoffNotFoundError(conversationId);
        if (handoff.status !== status) throw new HandoffStateError(`handoff ${conversationId} is ${handoff.status}, not ${status}`);
        return handoff;
    }

    private async record(handoff: Handoff, entry: TranscriptEntry, type: Extract<FeedEvent, { handoff: Handoff }>['type']): Promise<void> {
        await this.deps.transcripts.append(handoff.conversationId, [entry]);
        await this.deps.feed.publish({ type, handoff });
    }

    /** Runs `logic` on the owner's channel; false (logged) when the channel can not be reached. */
    private async toOwner(handoff: Handoff, logic: (context: TurnContext) => Promise<void>): Promise<boolean> {
        const outcome = await reachOwner(this.deps.continueConversation, handoff.reference as Partial<ConversationReference>, logic);
        if (!outcome.ok) this.deps.logger.warn({ err: outcome.error, conversationId: handoff.conversationId, channelId: handoff.channelId }, 'owner channel unreachable');
        return outcome.ok;
    }

    private async speakAs(context: TurnContext, agent: string, text: string): Promise<void> {
        context.turnState.set(AGENT_SPEAKING, agent);
        await context.sendActivity(text);
    }
}
