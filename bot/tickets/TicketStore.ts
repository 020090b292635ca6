import type { Ticket, TicketFilter, TicketPosition, TicketStatus } from './Ticket';

/** Where tickets live: SQLite under DATA_DIR, or Redis. Both pass tests/helpers/ticketStoreConformance.ts. */
export interface TicketStore {
    /** The next readable id for a day: TS-20261124-0007 (the sequence restarts each day, in the estate's time zone). */
    nextId(day: string): Promise<string>;
    /** Stores a new ticket (version 1); refuses an id that exists. */
    insert(ticket: Ticket): Promise<void>;
    /**
     * Stores a new ticket under the day's next id (draft.id is ignored), in one step; returns it with its id. With an
     * idempotency key that an earlier insert used, atomically returns that ticket as stored instead (no new id is taken).
     */
    insertNumbered(day: string, draft: Ticket, idempotencyKey?: string): Promise<Ticket>;
    get(id: string): Promise<Ticket | null>;
    /** Replaces a ticket if its stored version is `expectedVersion`; else TicketConflictError. */
    replace(ticket: Ticket, expectedVersion: number): Promise<void>;
    /** Newest first (then by id, highest first); with `after`, only those that sort after it (a keyset page). */
    list(filter: TicketFilter, limit?: number, after?: TicketPosition | null): Promise<Ticket[]>;
    /** How many match the filter, however many. */
    count(filter: TicketFilter): Promise<number>;
    /** How many tickets stand in each status (for /metrics). */
    countByStatus(): Promise<Record<TicketStatus, number>>;
    /** Tickets whose follow-up is due by `now` and not yet asked, oldest due first. */
    dueFollowUps(now: Date, limit: number): Promise<Ticket[]>;
}
