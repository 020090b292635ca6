import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/openSqlite';
import { MAX_TRANSCRIPT_ENTRIES, readTranscriptLines, type TranscriptEntry, type TranscriptStore } from '../../bot/transcripts/TranscriptStore';
import { StatementCache } from '../storage/StatementCache';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/** Transcripts in SQLite: one row per line, read back by conversation in insertion order. */
export class SqliteTranscriptStore implements TranscriptStore {
    private readonly db: Database.Database;
    private readonly sql: StatementCache;
    private readonly insertAll: (conversationId: string, entries: TranscriptEntry[]) => void;

    constructor(file: string) {
        this.db = openSqlite(file, { everyTurn: true });
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS transcript (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                conversation_id TEXT NOT NULL,
                entry TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS transcript_conversation ON transcript (conversation_id, seq);
        `);
        this.sql = new StatementCache(this.db);
        const insert = this.sql.get('INSERT INTO transcript (conversation_id, entry) VALUES (?, ?)');
        // Built once, not on every append: transaction() wraps a new function each time it is called.
        this.insertAll = this.db.transaction((conversationId: string, entries: TranscriptEntry[]) => {
            for (const entry of entries) insert.run(conversationId, JSON.stringify(entry));
        });
    }

    async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
        await guarded('transcript append', () => this.insertAll(conversationId, entries));
    }

    async read(conversationId: string, limit = MAX_TRANSCRIPT_ENTRIES): Promise<TranscriptEntry[]> {
        const rows = await guarded('transcript read', () =>
            this.sql.get('SELECT entry FROM transcript WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?').all(conversationId, limit) as { entry: string }[],
        );
        return readTranscriptLines(rows.reverse().map((r) => r.entry));
    }

    close(): void {
        this.db.close();
    }
}
