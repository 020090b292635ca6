import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Ticket, TicketStatuses, ticketPosition, type HistoryEntry, type TicketFilter, type TicketPosition, type TicketStatus } from './Ticket';
import type { TicketStore } from './TicketStore';
import { SlaDeadlines } from './SlaDeadlines';
import type { WorkingCalendar } from './WorkingCalendar';

/** The moves the lifecycle allows: forward one step, or back to work when a reply or the follow-up shows it is not fixed. */
const MOVES: Record<TicketStatus, TicketStatus[]> = {
    received: ['in_progress'],
    in_progress: ['replied'],
    replied: ['revisited', 'in_progress'],
    revisited: ['closed', 'in_progress'],
    closed: [],
};

export class IllegalTransitionError extends Error {
    constructor(
        readonly from: TicketStatus,
        readonly to: TicketStatus,
    ) {
        super(`a ticket cannot move from ${from} to ${to}; allowed: ${MOVES[from].join(', ') || 'none (closed)'}`);
        this.name = 'IllegalTransitionError';
    }
}

export const NewTicket = Ticket.pick({
    kind: true,
    category: true,
    channelId: true,
    conversationId: true,
    ownerId: true,
    medium: true,
    contact: true,
    location: true,
    description: true,
    request: true,
    subject: true,
    department: true,
}).extend({ receivedBy: z.string().min(1).default('linli'), urgent: z.boolean().default(false), leak: z.boolean().default(false) });
export type NewTicket = z.input<typeof NewTicket>;

export const TicketPatch = z
    .object({
        status: TicketStatuses.optional(),
        handledBy: z.string().min(1).max(64).optional(),
        department: z.string().min(1).max(64).optional(),
        note: z.string().min(1).max(2000).optional(),
        followUp: z
            .object({
                /** Staff trigger a leak's follow-up after the first rain by giving it a due time. */
                dueAt: z.iso.datetime({ offset: true }).optional(),
                result: z.object({ fixed: z.boolean(), satisfaction: z.number().int().min(1).max(5).nullable(), comment: z.string().max(1000).nullable() }).optional(),
            })
            .optional(),
    })
    .strict()
    .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type TicketPatch = z.infer<typeof TicketPatch>;

/** What the owner may add to a ticket after it was opened. */
export interface TicketAmendment {
    contact?: Partial<Record<'phone' | 'building' | 'unit' | 'room', string | undefined>>;
    location?: string;
    note?: string;
}

export interface CreateOptions {
    /** Names the conversation step that opens the ticket (see TicketStore.insertNumbered). */
    idempotencyKey?: string;
}

/** Told of every change `update` wrote (status, follow-up result): the outcome records read it. */
export type TicketObserver = (before: Ticket, after: Ticket) => Promise<void>;

/** Tickets as staff and the bot use them: creation with SLA deadlines, lifecycle moves, history, breaches. */
export class TicketService {
    private readonly observers: TicketObserver[] = [];
    /** The service promises counted on the estate's hours (knowledge/calendar.json). */
    private readonly deadlines: SlaDeadlines;

    constructor(
        private readonly store: TicketStore,
        private readonly calendar: WorkingCalendar,
        private readonly clock: () => Date = () => new Date(),
    ) {
        this.deadlines = new SlaDeadlines(calendar);
    }

    /**
     * Opens a ticket. With an idempotency key (a conversation step: the same step retried gives the same key), a key
     * already used returns the ticket it opened instead of a second one.
     */
    async create(input: NewTicket, options: CreateOptions = {}): Promise<Ticket> {
        const data = NewTicket.parse(input);
        const now = this.clock();
        const day = this.calendar.localDay(now).replace(/-/g, '');
        const due = this.deadlines.forTicket(now, data.kind, data.medium);
        const draft: Ticket = {
            // Numbered by the store as it is written (one round trip rather than two).
            id: `TS-${day}-0000`,
            kind: data.kind,
            category: data.category,
            status: 'received',
            createdAt: now.toISOString(),
            updatedAt: now.toISOString(),
            channelId: data.channelId,
            conversationId: data.conversationId,
            ownerId: data.ownerId,
            medium: data.medium,
            contact: data.contact,
            location: data.location,
            description: data.description,
            request: data.request,
            subject: data.subject,
            department: data.department,
            receivedBy: data.receivedBy,
            handledBy: null,
            sla: {
                responseDueAt: due.responseDueAt.toISOString(),
                feedbackDueAt: due.feedbackDueAt.toISOString(),
                replyDueAt: due.replyDueAt.toISOString(),
                firstResponseAt: null,
                breaches: [],
            },
            followUp: {
                dueAt: data.leak ? null : this.deadlines.followUpDue(now, data.urgent || data.kind === 'emergency').toISOString(),
                trigger: data.leak ? 'after_first_rain' : 'scheduled',
                askedAt: null,
                doneAt: null,
                result: null,
            },
            history: [{ at: now.toISOString(), by: data.receivedBy, action: 'created', to: 'received' }],
            version: 1,
        };
        // Hashed: a fixed length whatever the conversation id, and nothing of it readable in the store's index.
        const key = options.idempotencyKey === undefined ? undefined : createHash('sha256').update(options.idempotencyKey).digest('base64url');
        return this.store.insertNumbered(day, draft, key);
    }

    /** Registers an observer of written changes; it must not throw (the change is written already). */
    observe(observer: TicketObserver): void {
        this.observers.push(observer);
    }

    get(id: string): Promise<Ticket | null> {
        return this.store.get(id);
    }

    list(filter: TicketFilter, limit?: number): Promise<Ticket[]> {
        return this.store.list(filter, limit);
    }

    count(filter: TicketFilter): Promise<number> {
        return this.store.count(filter);
    }

    /** `limit` tickets newest first after `after`, the number matching, and where the next page starts (null: none). */
    async page(filter: TicketFilter, limit: number, after: TicketPosition | null): Promise<{ tickets: Ticket[]; total: number; next: TicketPosition | null }> {
        const [tickets, total] = await Promise.all([this.store.list(filter, limit + 1, after), this.store.count(filter)]);
        const shown = tickets.slice(0, limit);
        const last = shown.at(-1);
        return { tickets: shown, total, next: tickets.length > limit && last ? ticketPosition(last) : null };
    }

    /** Applies a staff change; refuses an illegal move (IllegalTransitionError) or a concurrent change (TicketConflictError). */
    async update(id: string, patch: TicketPatch, by: string): Promise<Ticket | null> {
        const current = await this.store.get(id);
        if (!current) return null;
        const now = this.clock();
        const at = now.toISOString();
        const next: Ticket = structuredClone(current);
        const history: HistoryEntry[] = [];
        if (patch.status && patch.status !== current.status) {
            if (!MOVES[current.status].includes(patch.status)) throw new IllegalTransitionError(current.status, patch.status);
            next.status = patch.status;
            history.push({ at, by, action: 'status', from: current.status, to: patch.status, ...(patch.note ? { note: patch.note } : {}) });
            if (!next.sla.firstResponseAt) {
                next.sla.firstResponseAt = at;
                if (now > new Date(next.sla.responseDueAt)) addBreach(next, 'response');
            }
            if (patch.status === 'replied') {
                if (now > new Date(next.sla.feedbackDueAt)) addBreach(next, 'feedback');
                if (now > new Date(next.sla.replyDueAt)) addBreach(next, 'reply');
            }
        } else if (patch.note) {
            history.push({ at, by, action: 'note', note: patch.note });
        }
        if (patch.handledBy) (next.handledBy = patch.handledBy), history.push({ at, by, action: 'assigned', note: patch.handledBy });
        if (patch.department) (next.department = patch.department), history.push({ at, by, action: 'department', note: patch.department });
        if (patch.followUp?.dueAt) (next.followUp.dueAt = patch.followUp.dueAt), history.push({ at, by, action: 'follow_up_scheduled', note: patch.followUp.dueAt });
        if (patch.followUp?.result) {
            next.followUp.result = patch.followUp.result;
            next.followUp.doneAt = at;
            history.push({ at, by, action: 'follow_up_recorded', note: JSON.stringify(patch.followUp.result) });
        }
        next.history = [...current.history, ...history];
        next.updatedAt = at;
        next.version = current.version + 1;
        await this.store.replace(next, current.version);
        for (const observer of this.observers) await observer(current, next);
        return next;
    }

    /**
     * What the owner adds to their ticket after it was opened — a phone, a corrected place, a detail: written onto the
     * ticket and recorded in its history (who: `by`, when: now). Returns null for an unknown ticket.
     */
    async amend(id: string, change: TicketAmendment, by: string): Promise<Ticket | null> {
        const current = await this.store.get(id);
        if (!current) return null;
        const at = this.clock().toISOString();
        const next: Ticket = { ...structuredClone(current), updatedAt: at, version: current.version + 1 };
        const history: HistoryEntry[] = [];
        const contact = { ...next.contact, ...Object.fromEntries(Object.entries(change.contact ?? {}).filter(([, v]) => typeof v === 'string' && v !== '')) };
        const changed = (Object.keys(contact) as (keyof typeof contact)[]).filter((field) => contact[field] !== current.contact[field]);
        if (changed.length > 0) {
            next.contact = contact;
            history.push({ at, by, action: 'contact_updated', note: changed.join(', ') });
        }
        if (change.location && change.location !== current.location) {
            next.location = change.location.slice(0, 200);
            history.push({ at, by, action: 'location_updated', note: next.location });
        }
        if (change.note) history.push({ at, by, action: 'note', note: change.note.slice(0, 2000) });
        if (history.length === 0) return current;
        next.history = [...current.history, ...history];
        Ticket.parse(next);
        await this.store.replace(next, current.version);
        return next;
    }

    countByStatus(): Promise<Record<TicketStatus, number>> {
        return this.store.countByStatus();
    }

    dueFollowUps(limit = 50): Promise<Ticket[]> {
        return this.store.dueFollowUps(this.clock(), limit);
    }

    /** Records that the follow-up question went out to the owner, so it is asked once. */
    async markFollowUpAsked(id: string): Promise<Ticket | null> {
        const current = await this.store.get(id);
        if (!current || current.followUp.askedAt) return current;
        const at = this.clock().toISOString();
        const next: Ticket = { ...structuredClone(current), updatedAt: at, version: current.version + 1 };
        next.followUp.askedAt = at;
        next.history = [...current.history, { at, by: 'linli', action: 'follow_up_asked' }];
        await this.store.replace(next, current.version);
        return next;
    }

    /** The owner's answer to the follow-up: fixed or not, and how satisfied (1–5). A replied ticket becomes revisited. */
    async recordFollowUp(id: string, result: { fixed: boolean; satisfaction: number | null; comment: string | null }): Promise<Ticket | null> {
        const current = await this.store.get(id);
        if (!current) return null;
        const patch: TicketPatch = { followUp: { result } };
        if (current.status === 'replied') patch.status = result.fixed ? 'revisited' : 'in_progress';
        return this.update(id, patch, 'owner');
    }

    /** Deadlines passed on a ticket that has not met them, as of now (for reports on open tickets). */
    overdue(ticket: Ticket, now = this.clock()): ('response' | 'feedback' | 'reply')[] {
        const late = new Set(ticket.sla.breaches);
        if (!ticket.sla.firstResponseAt && now > new Date(ticket.sla.responseDueAt)) late.add('response');
        const replied = ticket.status === 'replied' || ticket.status === 'revisited' || ticket.status === 'closed';
        if (!replied && now > new Date(ticket.sla.feedbackDueAt)) late.add('feedback');
        if (!replied && now > new Date(ticket.sla.replyDueAt)) late.add('reply');
        return [...late];
    }
}

function addBreach(ticket: Ticket, kind: 'response' | 'feedback' | 'reply'): void {
    if (!ticket.sla.breaches.includes(kind)) ticket.sla.breaches.push(kind);
}
