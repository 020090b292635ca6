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
import { HandoffConflictError, URGENT_PRIORITY, queuePosition, type Handoff, type HandoffOwner, type HandoffPosition, type HandoffStatus } from './Handoff';
import { HandoffNotFoundError, HandoffStateError, OwnerUnreachableError } from './HandoffErrors';
import type { FeedEvent, HandoffFeed } from './HandoffFeed';
import { reachOwner } from '../proactive/reachOwner';
import { OutsideWindowError } from '../channels/OutsideWindowError';
import type { HandoffStore, PriorityCounts } from './HandoffStore';

/** Turn-state key: set while an agent's words are sent, so the transcript records them as the agent's. */
export const AGENT_SPEAKING = Symbol('linli.agentSpeaking');
/** Turn-state key: the agent's words as typed, for the transcript (the owner reads them signed; the line names the agent). */
export const AGENT_WORDS = Symbol('linli.agentWords');

export interface HandoffServiceDeps {
    store: HandoffStore;
    transcripts: TranscriptStore;
    feed: HandoffFeed;
    tickets: TicketService;
    phrasebook: Phrasebook;
    clock: () => Date;
    /** Runs logic in the owner's conversation on the owner's own channel (the adapter's continueConversation). */
    continueConversation: (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;
    /** How long a priority 3–5 handoff may wait for an agent before the owner is offered a call back. */
    acceptTimeoutMs: number;
    /** How long a priority 1–2 handoff may wait before every console is alerted (it is never turned into a call back). */
    urgentEscalateMs: number;
    /** How often an owner in danger hears the safety steps again while waiting. */
    safetyReminderMs: number;
    /** How long an offer to one agent stands before another may accept (and the dispatcher moves it on). */
    offerMs: number;
    /** The safety steps for what the owner said (knowledge/safety.json), numbered lines. */
    safetySteps: (words: string) => string;
    /** Told after a handoff is queued or an agent frees a place, so the offers are made at once. */
    onQueueChanged?: () => void;
    /** For the wait the owner is told: minutes an agent needs per owner ahead in the queue. */
    minutesPerOwner: number;
    /** The call-back ticket's wording (knowledge/handoff.json). */
    settings: HandoffSettings;
    logger: Logger;
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
    /** Who the owner is, from their profile (name, building, unit, room), when known. */
    owner?: HandoffOwner | null;
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
    constructor(private readonly deps: HandoffServiceDeps) {}

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
        const owner = await this.ownerOf(request.owner ?? null, ticketId);
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
            owner,
            offeredTo: null,
            offeredAt: null,
            offeredBefore: [],
            escalatedAt: null,
            remindedAt: null,
            reference: reference as Record<string, unknown>,
            version: 1,
        });
        if (handoff.status === 'queued' && handoff.since !== now && priority < handoff.priority) handoff = await this.moveUp(handoff, request, priority);
        const ahead = handoff.status === 'queued' ? await this.deps.store.countBefore('queued', queuePosition(handoff)) : 0;
        await this.deps.transcripts.append(conversationId, [{ at: now, from: 'system', event: 'handoff.queued', text: handoff.reason }]);
        await this.deps.feed.publish({ type: 'queued', handoff });
        this.deps.onQueueChanged?.();
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

    /**
     * Who the owner is for the queue: what their profile holds, completed from the linked ticket's contact (a flow may
     * have asked the room). Null when nothing is known.
     */
    private async ownerOf(profile: HandoffOwner | null, ticketId: string | null): Promise<HandoffOwner | null> {
        const ticket = ticketId ? await this.deps.tickets.get(ticketId).catch(() => null) : null;
        const owner: HandoffOwner = {};
        for (const field of ['name', 'building', 'unit', 'room'] as const) {
            const value = profile?.[field] ?? ticket?.contact[field];
            if (value) owner[field] = value;
        }
        return Object.keys(owner).length > 0 ? owner : null;
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

    /** Every handoff of a status in queue order, a page at a time (the dispatcher's view of the queue and the desk). */
    async all(status: HandoffStatus): Promise<Handoff[]> {
        const all: Handoff[] = [];
        for (let after: HandoffPosition | null = null, more = true; more; ) {
            const page = await this.deps.store.page(status, SWEEP_PAGE, after);
            all.push(...page);
            more = page.length === SWEEP_PAGE;
            after = page.length > 0 ? queuePosition(page[page.length - 1]!) : null;
        }
        return all;
    }

    count(status: HandoffStatus): Promise<number> {
        return this.deps.store.count(status);
    }

    transcript(conversationId: string): Promise<TranscriptEntry[]> {
        return this.deps.transcripts.read(conversationId);
    }

    /**
     * An agent takes a queued handoff. While it is offered to another agent (and the offer stands) the accept is
     * refused: the dispatcher gave it to them. `displayName` is what the owner is told (客服小王).
     */
    async accept(conversationId: string, agent: string, displayName = agent): Promise<HandoffChange> {
        const handoff = await this.take(conversationId, agent);
        const now = handoff.acceptedAt ?? this.deps.clock().toISOString();
        await this.record(handoff, { at: now, from: 'system', agent, event: 'handoff.accepted' }, 'accepted');
        const ownerNotified = await this.toOwner(handoff, async (context) => {
            await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'accepted'));
            await this.speakAs(context, agent, this.deps.phrasebook.say('handoff_accepted', handoff.persona, { agent: displayName }));
        });
        // The agent's offer is taken: what they held on offer may go to someone else, if they are full now.
        this.deps.onQueueChanged?.();
        return { handoff, ownerNotified };
    }

    /**
     * Writes the accept. A write the queue's own bookkeeping overtook (an offer made, the owner's words added to the
     * summary) is tried again on what is stored now, so the agent does not get a 409 for nothing; another agent's
     * accept still wins, and the read after it answers 409.
     */
    private async take(conversationId: string, agent: string): Promise<Handoff> {
        for (let attempt = 1; ; attempt++) {
            const current = await this.require(conversationId, 'queued');
            const now = this.deps.clock();
            if (current.offeredTo && current.offeredTo !== agent && this.offerStands(current, now)) {
                throw new HandoffStateError(`handoff ${conversationId} is offered to ${current.offeredTo} until ${this.offerExpiresAt(current)}`);
            }
            const handoff: Handoff = { ...current, status: 'active', agent, acceptedAt: now.toISOString(), offeredTo: null, offeredAt: null, version: current.version + 1 };
            try {
                await this.deps.store.replace(handoff);
                return handoff;
            } catch (error) {
                if (!(error instanceof HandoffConflictError) || attempt >= 3) throw error;
            }
        }
    }

    /** Whether an offer made to one agent still keeps the others from accepting. */
    offerStands(handoff: Handoff, now: Date): boolean {
        return handoff.offeredAt !== null && now.getTime() - Date.parse(handoff.offeredAt) < this.deps.offerMs;
    }

    offerExpiresAt(handoff: Handoff): string | null {
        return handoff.offeredAt ? new Date(Date.parse(handoff.offeredAt) + this.deps.offerMs).toISOString() : null;
    }

    /** When the handoff should be accepted by: the escalation time for urgent ones, the call-back time for the rest. */
    slaDueAt(handoff: Handoff): string {
        return new Date(Date.parse(handoff.since) + (handoff.priority <= URGENT_PRIORITY ? this.deps.urgentEscalateMs : this.deps.acceptTimeoutMs)).toISOString();
    }

    /**
     * Offers a queued handoff to `agent` (null: to nobody, anyone may accept), remembering who had it before. False when
     * it changed meanwhile (accepted, or another instance offered it): the next round looks again.
     */
    async offer(current: Handoff, agent: string | null): Promise<Handoff | null> {
        const now = this.deps.clock().toISOString();
        const before = agent && !current.offeredBefore.includes(agent) ? [...current.offeredBefore, agent].slice(-50) : current.offeredBefore;
        const next: Handoff = { ...current, offeredTo: agent, offeredAt: agent ? now : null, offeredBefore: before, version: current.version + 1 };
        try {
            await this.deps.store.replace(next);
        } catch (error) {
            if (error instanceof HandoffConflictError) return null;
            throw error;
        }
        // Withdrawn (nobody online with room) is news too: the consoles show the handoff as open to anyone.
        if (agent) await this.record(next, { at: now, from: 'system', agent, event: 'handoff.offered' }, 'handoff.offered');
        else await this.deps.feed.publish({ type: 'handoff.offered', handoff: next });
        return next;
    }

    /**
     * Hands an active conversation to a colleague: `by` holds it (or is a supervisor), `to` takes it at once. The note
     * goes to staff only; the owner is told who is with them now.
     */
    async transfer(conversationId: string, by: string, to: { name: string; displayName: string }, note: string | null, bySupervisor = false): Promise<HandoffChange> {
        const current = await this.require(conversationId, 'active');
        if (current.agent !== by && !bySupervisor) throw new HandoffStateError(`conversation ${conversationId} is with ${current.agent ?? 'nobody'}, not ${by}`);
        if (current.agent === to.name) throw new HandoffStateError(`conversation ${conversationId} is with ${to.name} already`);
        const now = this.deps.clock().toISOString();
        const from = current.agent ?? by;
        const handoff: Handoff = { ...current, agent: to.name, version: current.version + 1 };
        await this.deps.store.replace(handoff);
        const entries: TranscriptEntry[] = [{ at: now, from: 'system', agent: by, event: 'handoff.transferred', text: `${from} → ${to.name}` }];
        if (note) entries.push({ at: now, from: 'system', agent: by, event: 'handoff.note', text: note });
        await this.deps.transcripts.append(conversationId, entries);
        await this.deps.feed.publish({ type: 'handoff.transferred', handoff, from, to: to.name, note });
        if (note) await this.deps.feed.publish({ type: 'handoff.note', conversationId, entry: entries[1]! });
        const ownerNotified = await this.toOwner(handoff, (context) => this.speakAs(context, to.name, this.deps.phrasebook.say('handoff_transferred', handoff.persona, { agent: to.displayName })));
        this.deps.onQueueChanged?.();
        return { handoff, ownerNotified };
    }

    /** An internal note on a conversation, for staff only: in its transcript and on the feed, never to the owner. */
    async note(conversationId: string, agent: string, text: string): Promise<TranscriptEntry> {
        if (!(await this.deps.store.get(conversationId))) throw new HandoffNotFoundError(conversationId);
        const entry: TranscriptEntry = { at: this.deps.clock().toISOString(), from: 'system', agent, event: 'handoff.note', text };
        await this.deps.transcripts.append(conversationId, [entry]);
        await this.deps.feed.publish({ type: 'handoff.note', conversationId, entry });
        return entry;
    }

    /** The agent's words to the owner, signed with their display name (客服小王：…) so the owner knows who speaks. */
    async sendAgentMessage(conversationId: string, agent: string, text: string, displayName = agent): Promise<void> {
        const handoff = await this.require(conversationId, 'active');
        if (handoff.agent !== agent) throw new HandoffStateError(`conversation ${conversationId} is with ${handoff.agent ?? 'nobody'}, not ${agent}`);
        // What the owner reads: the words signed with the agent's display name. Staff see them as typed, under the agent's name.
        const signed = fillLine(this.deps.settings.signature, { agent: displayName, text });
        // The agent must know when the words did not arrive: nothing is recorded as said, and the caller hears why.
        const outcome = await reachOwner(this.deps.continueConversation, handoff.reference as Partial<ConversationReference>, (context) => this.speakAs(context, agent, signed, text));
        if (!outcome.ok) {
            this.deps.logger.warn({ err: outcome.error, conversationId, channelId: handoff.channelId }, 'agent message not delivered');
            // A channel with a messaging window (WeChat) that is closed: not a fault, the owner must write first.
            if (outcome.error instanceof OutsideWindowError) throw outcome.error;
            throw new OwnerUnreachableError(conversationId);
        }
        await this.deps.feed.publish({ type: 'message', conversationId, entry: { at: this.deps.clock().toISOString(), from: 'agent', agent, text } });
    }

    async release(conversationId: string, agent: string): Promise<HandoffChange> {
        const current = await this.require(conversationId, 'active');
        if (current.agent !== agent) throw new HandoffStateError(`conversation ${conversationId} is with ${current.agent ?? 'nobody'}, not ${agent}`);
        const now = this.deps.clock().toISOString();
        const handoff: Handoff = { ...current, status: 'closed', closedAt: now, outcome: 'released', version: current.version + 1 };
        await this.deps.store.replace(handoff);
        await this.record(handoff, { at: now, from: 'system', agent, event: 'handoff.released' }, 'released');
        const ownerNotified = await this.toOwner(handoff, async (context) => {
            await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'completed'));
            await context.sendActivity(this.deps.phrasebook.say('handoff_released', handoff.persona));
        });
        this.deps.onQueueChanged?.();
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

    /**
     * A ticket an agent opened for the owner: in the conversation's transcript under the agent's name, and linked to the
     * conversation's handoff when it has none yet (the queue and console show it).
     */
    async ticketOpened(ticket: Ticket, staff: string): Promise<void> {
        await this.deps.transcripts.append(ticket.conversationId, [{ at: this.deps.clock().toISOString(), from: 'system', agent: staff, event: 'ticket.created', text: ticket.id }]);
        const handoff = await this.deps.store.get(ticket.conversationId);
        if (!handoff || handoff.ticketId) return;
        await this.deps.store.replace({ ...handoff, ticketId: ticket.id, version: handoff.version + 1 }).catch((error: unknown) => {
            // Changed meanwhile (accepted, a message): the ticket stands and the transcript has it; the link is a convenience.
            if (!(error instanceof HandoffConflictError)) throw error;
        });
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
            // Urgent ones are never closed into a call back: they are escalated and stay in the queue (escalateUrgent).
            const overdue = page.filter((h) => h.priority > URGENT_PRIORITY && now.getTime() - Date.parse(h.since) >= this.deps.acceptTimeoutMs);
            for (const current of overdue) expired.push(await this.expire(current, now));
        }
        return expired;
    }

    /**
     * Urgent handoffs (priority 1–2) still waiting: past HANDOFF_URGENT_ESCALATE_SECONDS each is escalated once (feed
     * `handoff.escalated`, every console alerts, a warn log), and every HANDOFF_SAFETY_REMINDER_SECONDS the owner hears
     * the safety steps again. Returns how many were escalated or reminded.
     */
    async escalateUrgent(): Promise<number> {
        const now = this.deps.clock();
        let done = 0;
        for (let after: HandoffPosition | null = null, more = true; more; ) {
            const page = await this.deps.store.page('queued', SWEEP_PAGE, after);
            more = page.length === SWEEP_PAGE;
            after = page.length > 0 ? queuePosition(page[page.length - 1]!) : null;
            const urgent = page.filter((h) => h.priority <= URGENT_PRIORITY);
            // The queue is in tier order: past the urgent tiers there is nothing more to do.
            if (urgent.length < page.length) more = false;
            for (const handoff of urgent) done += (await this.escalateOne(handoff, now)) ? 1 : 0;
        }
        return done;
    }

    private async escalateOne(current: Handoff, now: Date): Promise<boolean> {
        const waited = now.getTime() - Date.parse(current.since);
        const escalate = current.escalatedAt === null && waited >= this.deps.urgentEscalateMs;
        const remind = now.getTime() - Date.parse(current.remindedAt ?? current.since) >= this.deps.safetyReminderMs;
        if (!escalate && !remind) return false;
        const at = now.toISOString();
        const next: Handoff = { ...current, ...(escalate ? { escalatedAt: at } : {}), ...(remind ? { remindedAt: at } : {}), version: current.version + 1 };
        try {
            await this.deps.store.replace(next);
        } catch (error) {
            // Accepted (or changed) meanwhile: nothing to escalate, or the next round sees the new version.
            if (error instanceof HandoffConflictError) return false;
            throw error;
        }
        if (escalate) {
            this.deps.logger.warn({ conversationId: next.conversationId, priority: next.priority, reason: next.reason, waitedSeconds: Math.round(waited / 1000) }, 'urgent handoff not accepted in time: escalated to every console');
            await this.record(next, { at, from: 'system', event: 'handoff.escalated', text: String(Math.round(waited / 1000)) }, 'handoff.escalated');
        }
        if (remind) {
            const steps = this.deps.safetySteps(next.summary);
            await this.toOwner(next, async (context) => {
                await context.sendActivity(this.deps.phrasebook.say('handoff_safety_reminder', next.persona, { steps }));
            });
        }
        return true;
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

    private async record(handoff: Handoff, entry: TranscriptEntry, type: Exclude<Extract<FeedEvent, { handoff: Handoff }>['type'], 'handoff.transferred'>): Promise<void> {
        await this.deps.transcripts.append(handoff.conversationId, [entry]);
        await this.deps.feed.publish({ type, handoff });
    }

    /** Runs `logic` on the owner's channel; false (logged) when the channel can not be reached. */
    private async toOwner(handoff: Handoff, logic: (context: TurnContext) => Promise<void>): Promise<boolean> {
        const outcome = await reachOwner(this.deps.continueConversation, handoff.reference as Partial<ConversationReference>, logic);
        if (!outcome.ok) this.deps.logger.warn({ err: outcome.error, conversationId: handoff.conversationId, channelId: handoff.channelId }, 'owner channel unreachable');
        return outcome.ok;
    }

    private async speakAs(context: TurnContext, agent: string, text: string, words = text): Promise<void> {
        context.turnState.set(AGENT_SPEAKING, agent);
        context.turnState.set(AGENT_WORDS, words);
        await context.sendActivity(text);
    }
}
