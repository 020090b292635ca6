import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/openSqlite';
import { Handoff, HandoffConflictError, HandoffPriorities, queuePosition, type HandoffPosition, type HandoffStatus } from '../../bot/handoff/Handoff';
import type { HandoffStore, PriorityCounts } from '../../bot/handoff/HandoffStore';
import { StatementCache } from '../storage/StatementCache';
import { guarded } from '../../bot/storage/StorageUnavailableError';

interface Row {
    doc: string;
}

/** Handoffs in SQLite: one row per conversation, the document plus the columns the queue is read by. */
export class SqliteHandoffStore implements HandoffStore {
    private readonly db: Database.Database;
    private readonly sql: StatementCache;

    constructor(file: string) {
        this.db = openSqlite(file);
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS handoffs (
                conversation_id TEXT PRIMARY KEY,
                doc TEXT NOT NULL,
                version INTEGER NOT NULL,
                status TEXT NOT NULL,
                since INTEGER NOT NULL,
                priority INTEGER NOT NULL DEFAULT 3,
                tier INTEGER NOT NULL DEFAULT 3
            );
        `);
        this.addQueueColumns();
        this.db.exec(`
            CREATE INDEX IF NOT EXISTS handoffs_queue ON handoffs (status, tier, since, conversation_id);
            CREATE INDEX IF NOT EXISTS handoffs_priority ON handoffs (status, priority);
        `);
        this.sql = new StatementCache(this.db);
    }

    /** A file written before the queue was paged has no priority or tier columns: add them, filled from the documents. */
    private addQueueColumns(): void {
        const columns = (this.db.prepare('PRAGMA table_info(handoffs)').all() as { name: string }[]).map((c) => c.name);
        if (columns.includes('tier')) return;
        this.db.transaction(() => {
            this.db.exec(`
                ALTER TABLE handoffs ADD COLUMN priority INTEGER NOT NULL DEFAULT 3;
                ALTER TABLE handoffs ADD COLUMN tier INTEGER NOT NULL DEFAULT 3;
                DROP INDEX IF EXISTS handoffs_status;
            `);
            for (const row of this.db.prepare('SELECT conversation_id, doc FROM handoffs').all() as { conversation_id: string; doc: string }[]) {
                const h = Handoff.parse(JSON.parse(row.doc));
                this.db.prepare('UPDATE handoffs SET priority = ?, tier = ? WHERE conversation_id = ?').run(h.priority, queuePosition(h).tier, row.conversation_id);
            }
        })();
    }

    async open(handoff: Handoff): Promise<Handoff> {
        const h = Handoff.parse(handoff);
        return guarded('handoff open', () =>
            this.db.transaction((): Handoff => {
                const row = this.sql.get('SELECT doc FROM handoffs WHERE conversation_id = ?').get(h.conversationId) as Row | undefined;
                const existing = row ? Handoff.parse(JSON.parse(row.doc)) : null;
                if (existing && existing.status !== 'closed') return existing;
                // A conversation escalated again after an earlier handoff closed: the new one takes its place.
                const stored = { ...h, version: (existing?.version ?? 0) + 1 };
                const at = queuePosition(stored);
                this.sql.get('INSERT OR REPLACE INTO handoffs (conversation_id, doc, version, status, since, priority, tier) VALUES (?, ?, ?, ?, ?, ?, ?)')
                    .run(stored.conversationId, JSON.stringify(stored), stored.version, stored.status, at.since, stored.priority, at.tier);
                return stored;
            })(),
        );
    }

    async get(conversationId: string): Promise<Handoff | null> {
        const row = await guarded('handoff read', () => this.sql.get('SELECT doc FROM handoffs WHERE conversation_id = ?').get(conversationId) as Row | undefined);
        return row ? Handoff.parse(JSON.parse(row.doc)) : null;
    }

    async replace(next: Handoff): Promise<void> {
        const h = Handoff.parse(next);
        const at = queuePosition(h);
        const changed = await guarded('handoff write', () =>
            this.sql.get('UPDATE handoffs SET doc = ?, version = ?, status = ?, since = ?, priority = ?, tier = ? WHERE conversation_id = ? AND version = ?')
                .run(JSON.stringify(h), h.version, h.status, at.since, h.priority, at.tier, h.conversationId, h.version - 1).changes,
        );
        if (changed !== 1) throw new HandoffConflictError(h.conversationId);
    }

    async page(status: HandoffStatus, limit: number, after: HandoffPosition | null): Promise<Handoff[]> {
        // A row-value comparison on the queue index: the page starts right after the cursor, however deep it is.
        const rows = await guarded('handoff list', () =>
            after
                ? (this.sql.get('SELECT doc FROM handoffs WHERE status = ? AND (tier, since, conversation_id) > (?, ?, ?) ORDER BY tier, since, conversation_id LIMIT ?')
                      .all(status, after.tier, after.since, after.conversationId, limit) as Row[])
                : (this.sql.get('SELECT doc FROM handoffs WHERE status = ? ORDER BY tier, since, conversation_id LIMIT ?').all(status, limit) as Row[]),
        );
        return rows.map((r) => Handoff.parse(JSON.parse(r.doc)));
    }

    async countBefore(status: HandoffStatus, position: HandoffPosition): Promise<number> {
        const row = await guarded('handoff count', () =>
            this.sql.get('SELECT COUNT(*) AS n FROM handoffs WHERE status = ? AND (tier, since, conversation_id) < (?, ?, ?)')
                .get(status, position.tier, position.since, position.conversationId) as { n: number },
        );
        return row.n;
    }

    async countsByPriority(status: HandoffStatus): Promise<PriorityCounts> {
        const rows = await guarded('handoff count', () =>
            this.sql.get('SELECT priority, COUNT(*) AS n FROM handoffs WHERE status = ? GROUP BY priority').all(status) as { priority: number; n: number }[],
        );
        const counts = Object.fromEntries(HandoffPriorities.map((p) => [String(p), 0])) as PriorityCounts;
        for (const row of rows) counts[String(row.priority) as keyof PriorityCounts] = row.n;
        return counts;
    }

    async count(status: HandoffStatus): Promise<number> {
        const row = await guarded('handoff count', () => this.sql.get('SELECT COUNT(*) AS n FROM handoffs WHERE status = ?').get(status) as { n: number });
        return row.n;
    }

    async ping(): Promise<void> {
        await guarded('handoff ping', () => this.sql.get('SELECT 1').get());
    }

    close(): void {
        this.db.close();
    }
}
