import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/openSqlite';
import { Handoff, HandoffConflictError, queueOrder, type HandoffStatus } from '../../bot/handoff/Handoff';
import type { HandoffStore } from '../../bot/handoff/HandoffStore';
import { StatementCache } from '../storage/StatementCache';
import { guarded } from '../storage/StorageUnavailableError';

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
                since INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS handoffs_status ON handoffs (status, since);
        `);
        this.sql = new StatementCache(this.db);
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
                this.sql.get('INSERT OR REPLACE INTO handoffs (conversation_id, doc, version, status, since) VALUES (?, ?, ?, ?, ?)')
                    .run(stored.conversationId, JSON.stringify(stored), stored.version, stored.status, Date.parse(stored.since));
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
        const changed = await guarded('handoff write', () =>
            this.sql.get('UPDATE handoffs SET doc = ?, version = ?, status = ?, since = ? WHERE conversation_id = ? AND version = ?')
                .run(JSON.stringify(h), h.version, h.status, Date.parse(h.since), h.conversationId, h.version - 1).changes,
        );
        if (changed !== 1) throw new HandoffConflictError(h.conversationId);
    }

    async list(status: HandoffStatus, limit = 200): Promise<Handoff[]> {
        const rows = await guarded('handoff list', () =>
            this.sql.get('SELECT doc FROM handoffs WHERE status = ? ORDER BY since LIMIT ?').all(status, limit) as Row[],
        );
        const handoffs = rows.map((r) => Handoff.parse(JSON.parse(r.doc)));
        return status === 'queued' ? handoffs.sort(queueOrder) : handoffs;
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
