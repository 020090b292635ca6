import { z } from 'zod';
import { OwnerContact } from './OwnerContact';

/** The contract's ticket (../shared/contract.md, Tickets): what a good receptionist writes down, and its lifecycle. */
/** `callback`: a handoff nobody accepted in time; staff call the owner back. Kept out of the complaint report's totals. */
export const TicketKinds = z.enum(['complaint', 'repair', 'emergency', 'installment', 'callback']);
export type TicketKind = z.infer<typeof TicketKinds>;
export const TicketCategories = z.enum(['facility', 'service', 'fee', 'emergency']);
export const TicketStatuses = z.enum(['received', 'in_progress', 'replied', 'revisited', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatuses>;
/**
 * How the complaint reached us. Its reply deadline in working days is data (knowledge/calendar.json, promises): spoken
 * (phone, visit) one, written (a letter, typed chat on the web or WeChat) three.
 */
export const TicketMedia = z.enum(['chat', 'phone', 'visit', 'written']);
export type TicketMedium = z.infer<typeof TicketMedia>;

const Iso = z.iso.datetime({ offset: true });

export const HistoryEntry = z.object({
    at: Iso,
    by: z.string().min(1),
    action: z.string().min(1),
    from: TicketStatuses.optional(),
    to: TicketStatuses.optional(),
    note: z.string().max(2000).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const Ticket = z.object({
    id: z.string().regex(/^TS-\d{8}-\d{4,}$/),
    kind: TicketKinds,
    category: TicketCategories,
    status: TicketStatuses,
    createdAt: Iso,
    updatedAt: Iso,
    channelId: z.string().min(1),
    conversationId: z.string().min(1),
    ownerId: z.string().min(1),
    medium: TicketMedia,
    /** The same rule as the owner's profile (OwnerContact): what the bot keeps about an owner fits a ticket. */
    contact: OwnerContact,
    location: z.string().max(200).nullable(),
    description: z.string().min(1).max(2000),
    request: z.string().max(1000).nullable(),
    /** About whom or which department the owner complains. */
    subject: z.string().max(200).nullable(),
    department: z.string().max(64).nullable(),
    receivedBy: z.string().min(1),
    handledBy: z.string().nullable(),
    sla: z.object({
        responseDueAt: Iso,
        feedbackDueAt: Iso,
        replyDueAt: Iso,
        firstResponseAt: Iso.nullable(),
        breaches: z.array(z.enum(['response', 'feedback', 'reply'])),
    }),
    followUp: z.object({
        /** null while staff must trigger it (a leak is revisited after the first rain). */
        dueAt: Iso.nullable(),
        trigger: z.enum(['scheduled', 'after_first_rain']),
        /** When Linli asked the owner on their channel (the proactive follow-up message). */
        askedAt: Iso.nullable().default(null),
        doneAt: Iso.nullable(),
        result: z.object({ fixed: z.boolean(), satisfaction: z.number().int().min(1).max(5).nullable(), comment: z.string().max(1000).nullable() }).nullable(),
    }),
    history: z.array(HistoryEntry).min(1),
    /** Bumped on every write; a write with a stale version is refused (optimistic concurrency). */
    version: z.number().int().min(1),
});
export type Ticket = z.infer<typeof Ticket>;

export interface TicketFilter {
    status?: TicketStatus;
    category?: z.infer<typeof TicketCategories>;
    kind?: z.infer<typeof TicketKinds>;
    ownerId?: string;
    /** createdAt within [from, to) */
    createdFrom?: Date;
    createdTo?: Date;
}

/** Where a ticket stands in the newest-first order: creation time in ms, then id. Page cursors carry exactly this. */
export const TicketPosition = z.object({
    createdAt: z.number().int().min(0).max(8.64e15),
    id: z.string().min(1).max(64),
});
export type TicketPosition = z.infer<typeof TicketPosition>;

export function ticketPosition(ticket: Ticket): TicketPosition {
    return { createdAt: Date.parse(ticket.createdAt), id: ticket.id };
}

export class TicketConflictError extends Error {
    constructor(id: string) {
        super(`ticket ${id} was changed by someone else; reload and try again`);
        this.name = 'TicketConflictError';
    }
}

export function matchesFilter(ticket: Ticket, filter: TicketFilter): boolean {
    if (filter.status && ticket.status !== filter.status) return false;
    if (filter.category && ticket.category !== filter.category) return false;
    if (filter.kind && ticket.kind !== filter.kind) return false;
    if (filter.ownerId && ticket.ownerId !== filter.ownerId) return false;
    const created = Date.parse(ticket.createdAt);
    if (filter.createdFrom && created < filter.createdFrom.getTime()) return false;
    if (filter.createdTo && created >= filter.createdTo.getTime()) return false;
    return true;
}

/**
 * When the follow-up visit may go out (ms since the epoch), or null while it may not: it has a due time, has not been
 * asked or done, and staff have replied — the visit checks a fix, so it waits for one. The stores index exactly these
 * tickets, so a backlog of unreplied due tickets cannot hide the ones ready for a visit.
 */
export function followUpReadyAt(ticket: Ticket): number | null {
    const { dueAt, askedAt, doneAt } = ticket.followUp;
    if (!dueAt || askedAt || doneAt || ticket.status !== 'replied') return null;
    return Date.parse(dueAt);
}
