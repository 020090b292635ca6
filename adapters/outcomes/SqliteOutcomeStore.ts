import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/openSqlite';
import { StatementCache } from '../storage/StatementCache';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { KnowledgeGap, Outcome, applyOutcomeChange, freshOutcome, type OutcomeChange, type OutcomeRef } from '../../bot/outcomes/Outcome';
import type { OutcomeStore } from '../../bot/outcomes/OutcomeStore';

/** Outcome records and knowledge gaps in SQLite: a record is read, changed and written in one transaction. */
export class SqliteOutcomeStore implements OutcomeStore {
    private readonly db: Database.Database;
    private readonly sql: StatementCache;
    private readonly write: (ref: OutcomeRef, at: Date, change: OutcomeChange, startsAt?: Date) => Outcome;

    constructor(file: string) {
        this.db = openSqlite(file);
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS outcomes (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, started_at INTEGER NOT NULL, doc TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS outcomes_conversation ON outcomes (conversation_id, started_at);
            CREATE INDEX IF NOT EXISTS outcomes_started ON outcomes (started_at);
            -- An owner's history, found by the record's own fields: no column to fill in for the rows already kept.
            CREATE INDEX IF NOT EXISTS outcomes_owner ON outcomes (json_extract(doc, '$.channelId'), json_extract(doc, '$.ownerId'), started_at);
            CREATE TABLE IF NOT EXISTS knowledge_gaps (id TEXT PRIMARY KEY, at INTEGER NOT NULL, doc TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS knowledge_gaps_at ON knowledge_gaps (at);
        `);
        this.sql = new StatementCache(this.db);
        this.write = this.db.transaction((ref: OutcomeRef, at: Date, change: OutcomeChange, startsAt?: Date) => {
            const row = this.sql
                .get('SELECT doc FROM outcomes WHERE conversation_id = ? AND started_at <= ? ORDER BY started_at DESC LIMIT 1')
                .get(ref.conversationId, at.getTime()) as { doc: string } | undefined;
            let current = row ? Outcome.parse(JSON.parse(row.doc)) : null;
            if (current && startsAt && Date.parse(current.startedAt) < startsAt.getTime()) current = null;
            const next = applyOutcomeChange(current ?? freshOutcome(randomUUID(), ref, (startsAt ?? at).toISOString()), change);
            this.sql
                .get('INSERT OR REPLACE INTO outcomes (id, conversation_id, started_at, doc) VALUES (?, ?, ?, ?)')
                .run(next.id, next.conversationId, Date.parse(next.startedAt), JSON.stringify(next));
            return next;
        });
    }

    async record(ref: OutcomeRef, at: Date, change: OutcomeChange, startsAt?: Date): Promise<Outcome> {
        return guarded('outcome write', () => this.write(ref, at, change, startsAt));
    }

    async list(from: Date, to: Date): Promise<Outcome[]> {
        const rows = await guarded('outcome read', () => this.sql.get('SELECT doc FROM outcomes WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id').all(from.getTime(), to.getTime()) as { doc: string }[]);
        return rows.map((r) => Outcome.parse(JSON.parse(r.doc)));
    }

    async ofOwner(channelId: string, ownerId: string, limit: number): Promise<Outcome[]> {
        const rows = await guarded('outcome read', () =>
            this.sql
                .get("SELECT doc FROM outcomes WHERE json_extract(doc, '$.channelId') = ? AND json_extract(doc, '$.ownerId') = ? ORDER BY started_at DESC, id DESC LIMIT ?")
                .all(channelId, ownerId, limit) as { doc: string }[],
        );
        return rows.map((r) => Outcome.parse(JSON.parse(r.doc)));
    }

    async addGap(gap: KnowledgeGap): Promise<void> {
        const g = KnowledgeGap.parse(gap);
        await guarded('knowledge gap write', () => this.sql.get('INSERT OR REPLACE INTO knowledge_gaps (id, at, doc) VALUES (?, ?, ?)').run(g.id, Date.parse(g.at), JSON.stringify(g)));
    }

    async gaps(from: Date, to: Date): Promise<KnowledgeGap[]> {
        const rows = await guarded('knowledge gap read', () => this.sql.get('SELECT doc FROM knowledge_gaps WHERE at >= ? AND at < ? ORDER BY at, id').all(from.getTime(), to.getTime()) as { doc: string }[]);
        return rows.map((r) => KnowledgeGap.parse(JSON.parse(r.doc)));
    }

    close(): void {
        this.db.close();
    }
}
