import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/openSqlite';
import { Ticket, TicketConflictError, TicketStatuses, followUpReadyAt, matchesFilter, type TicketFilter, type TicketPosition, type TicketStatus } from '../../bot/tickets/Ticket';
import type { TicketStore } from '../../bot/tickets/TicketStore';
import { StatementCache } from '../storage/StatementCache';
import { guarded } from '../../bot/storage/StorageUnavailableError';

interface Row {
    doc: string;
}

/** Tickets in SQLite: one row per ticket (the document plus indexed columns) and a per-day id sequence. */
export class SqliteTicketStore implements TicketStore {
    private readonly db: Database.Database;
    private readonly sql: StatementCache;

    constructor(file: string) {
        this.db = openSqlite(file);
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS tickets (
                id TEXT PRIMARY KEY,
                doc TEXT NOT NULL,
                version INTEGER NOT NULL,
                status TEXT NOT NULL,
                kind TEXT NOT NULL,
                category TEXT NOT NULL,
                owner_id TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            DROP INDEX IF EXISTS tickets_created;
            DROP INDEX IF EXISTS tickets_owner;
            DROP INDEX IF EXISTS tickets_status;
            -- Newest first, then by id: the keyset the list pages by, under each filter the API offers.
            CREATE INDEX IF NOT EXISTS tickets_order ON tickets (created_at, id);
            CREATE INDEX IF NOT EXISTS tickets_owner_order ON tickets (owner_id, created_at, id);
            CREATE INDEX IF NOT EXISTS tickets_status_order ON tickets (status, created_at, id);
            CREATE INDEX IF NOT EXISTS tickets_kind_order ON tickets (kind, created_at, id);
            CREATE INDEX IF NOT EXISTS tickets_category_order ON tickets (category, created_at, id);
            CREATE TABLE IF NOT EXISTS ticket_sequences (day TEXT PRIMARY KEY, n INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS ticket_follow_ups (id TEXT PRIMARY KEY, due_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS ticket_follow_ups_due ON ticket_follow_ups (due_at);
        `);
        // Which ticket a conversation step opened: the step retried gets the same ticket (the key is unique).
        this.db.exec('CREATE TABLE IF NOT EXISTS ticket_idempotency (key TEXT PRIMARY KEY, id TEXT NOT NULL)');
        this.sql = new StatementCache(this.db);
    }

    async nextId(day: string): Promise<string> {
        return guarded('ticket id', () => {
            const row = this.sql.get('INSERT INTO ticket_sequences (day, n) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET n = n + 1 RETURNING n')
                .get(day) as { n: number };
            return `TS-${day}-${String(row.n).padStart(4, '0')}`;
        });
    }

    async insertNumbered(day: string, draft: Ticket, idempotencyKey?: string): Promise<Ticket> {
        // One transaction, taken immediately (no other writer between the key's check and its row): the key, the
        // number and the row, as on Redis.
        return guarded('ticket insert', () =>
            this.db.transaction((): Ticket => {
                if (idempotencyKey !== undefined) {
                    const earlier = this.sql.get('SELECT t.doc FROM ticket_idempotency k JOIN tickets t ON t.id = k.id WHERE k.key = ?').get(idempotencyKey) as Row | undefined;
                    if (earlier) return Ticket.parse(JSON.parse(earlier.doc));
                }
                const row = this.sql.get('INSERT INTO ticket_sequences (day, n) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET n = n + 1 RETURNING n').get(day) as { n: number };
                const t = Ticket.parse({ ...draft, id: `TS-${day}-${String(row.n).padStart(4, '0')}` });
                this.sql
                    .get('INSERT INTO tickets (id, doc, version, status, kind, category, owner_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
                    .run(t.id, JSON.stringify(t), t.version, t.status, t.kind, t.category, t.ownerId, Date.parse(t.createdAt));
                this.indexFollowUp(t);
                if (idempotencyKey !== undefined) {
                    this.sql.get('INSERT INTO ticket_idempotency (key, id) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET id = excluded.id').run(idempotencyKey, t.id);
                }
                return t;
            }).immediate(),
        );
    }

    async insert(ticket: Ticket): Promise<void> {
        const t = Ticket.parse(ticket);
        await guarded('ticket insert', () =>
            this.db.transaction(() => {
                this.sql.get('INSERT INTO tickets (id, doc, version, status, kind, category, owner_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
                    .run(t.id, JSON.stringify(t), t.version, t.status, t.kind, t.category, t.ownerId, Date.parse(t.createdAt));
                this.indexFollowUp(t);
            })(),
        ).catch((error: Error) => {
            throw /UNIQUE|PRIMARY/.test(String((error.cause as Error | undefined)?.message)) ? new TicketConflictError(t.id) : error;
        });
    }

    async get(id: string): Promise<Ticket | null> {
        const row = await guarded('ticket read', () => this.sql.get('SELECT doc FROM tickets WHERE id = ?').get(id) as Row | undefined);
        return row ? Ticket.parse(JSON.parse(row.doc)) : null;
    }

    async replace(ticket: Ticket, expectedVersion: number): Promise<void> {
        const t = Ticket.parse(ticket);
        const changes = await guarded('ticket write', () =>
            this.db.transaction(() => {
                const changed = this.sql.get('UPDATE tickets SET doc = ?, version = ?, status = ?, kind = ?, category = ? WHERE id = ? AND version = ?')
                    .run(JSON.stringify(t), t.version, t.status, t.kind, t.category, t.id, expectedVersion).changes;
                if (changed === 1) this.indexFollowUp(t);
                return changed;
            })(),
        );
        if (changes !== 1) throw new TicketConflictError(t.id);
    }

    /** Keeps the follow-up index in step with the ticket: present while its visit may go out (followUpReadyAt). */
    private indexFollowUp(t: Ticket): void {
        const readyAt = followUpReadyAt(t);
        if (readyAt !== null) {
            this.sql.get('INSERT INTO ticket_follow_ups (id, due_at) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET due_at = excluded.due_at').run(t.id, readyAt);
        } else {
            this.sql.get('DELETE FROM ticket_follow_ups WHERE id = ?').run(t.id);
        }
    }

    async countByStatus(): Promise<Record<TicketStatus, number>> {
        const rows = await guarded('ticket counts', () => this.sql.get('SELECT status, COUNT(*) AS n FROM tickets GROUP BY status').all() as { status: TicketStatus; n: number }[]);
        const counts = Object.fromEntries(TicketStatuses.options.map((s) => [s, 0])) as Record<TicketStatus, number>;
        for (const row of rows) counts[row.status] = row.n;
        return counts;
    }

    async dueFollowUps(now: Date, limit: number): Promise<Ticket[]> {
        const rows = await guarded('ticket follow-ups', () =>
            this.sql.get('SELECT t.doc FROM ticket_follow_ups f JOIN tickets t ON t.id = f.id WHERE f.due_at <= ? ORDER BY f.due_at LIMIT ?')
                .all(now.getTime(), limit) as Row[],
        );
        const tickets = rows.map((r) => Ticket.parse(JSON.parse(r.doc)));
        // Entries an older build indexed (due but not yet replied) leave the index the first time they are met.
        for (const stale of tickets.filter((t) => followUpReadyAt(t) === null)) this.sql.get('DELETE FROM ticket_follow_ups WHERE id = ?').run(stale.id);
        return tickets.filter((t) => followUpReadyAt(t) !== null);
    }

    async list(filter: TicketFilter, limit = 200, after: TicketPosition | null = null): Promise<Ticket[]> {
        const { where, args } = this.where(filter);
        if (after) (where.push('(created_at, id) < (?, ?)'), args.push(after.createdAt, after.id));
        const sql = `SELECT doc FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
        const rows = await guarded('ticket list', () => this.sql.get(sql).all(...args, limit) as Row[]);
        return rows.map((r) => Ticket.parse(JSON.parse(r.doc))).filter((t) => matchesFilter(t, filter));
    }

    async count(filter: TicketFilter): Promise<number> {
        const { where, args } = this.where(filter);
        const sql = `SELECT COUNT(*) AS n FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
        const row = await guarded('ticket count', () => this.sql.get(sql).get(...args) as { n: number });
        return row.n;
    }

    private where(filter: TicketFilter): { where: string[]; args: (string | number)[] } {
        const where: string[] = [];
        const args: (string | number)[] = [];
        if (filter.status) (where.push('status = ?'), args.push(filter.status));
        if (filter.kind) (where.push('kind = ?'), args.push(filter.kind));
        if (filter.category) (where.push('category = ?'), args.push(filter.category));
        if (filter.ownerId) (where.push('owner_id = ?'), args.push(filter.ownerId));
        if (filter.createdFrom) (where.push('created_at >= ?'), args.push(filter.createdFrom.getTime()));
        if (filter.createdTo) (where.push('created_at < ?'), args.push(filter.createdTo.getTime()));
        return { where, args };
    }

    close(): void {
        if (this.db.open) this.db.close();
    }
}
