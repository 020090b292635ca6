import type Database from 'better-sqlite3';
import { Rehearsal } from '../../bot/rehearsal/Rehearsal';
import type { RehearsalStore } from '../../bot/rehearsal/RehearsalStore';
import { openSqlite } from '../storage/openSqlite';
import { StatementCache } from '../storage/StatementCache';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/** Rehearsals in SQLite under DATA_DIR, indexed by trainee and start time. */
export class SqliteRehearsalStore implements RehearsalStore {
    private readonly db: Database.Database;
    private readonly sql: StatementCache;
    /** One process owns the file: the service's own queue keeps one rehearsal's turns in order. */
    readonly lock = null;

    constructor(file: string) {
        this.db = openSqlite(file);
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS rehearsals (id TEXT PRIMARY KEY, trainee TEXT NOT NULL, started_at TEXT NOT NULL, doc TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS rehearsals_by_trainee ON rehearsals (trainee, started_at);
            CREATE INDEX IF NOT EXISTS rehearsals_by_start ON rehearsals (started_at);
        `);
        this.sql = new StatementCache(this.db);
    }

    async save(rehearsal: Rehearsal): Promise<void> {
        const r = Rehearsal.parse(rehearsal);
        await guarded('rehearsal save', () => this.sql.get('INSERT OR REPLACE INTO rehearsals (id, trainee, started_at, doc) VALUES (?, ?, ?, ?)').run(r.id, r.trainee, r.startedAt, JSON.stringify(r)));
    }

    async get(id: string): Promise<Rehearsal | null> {
        const row = await guarded('rehearsal read', () => this.sql.get('SELECT doc FROM rehearsals WHERE id = ?').get(id) as { doc: string } | undefined);
        return row ? Rehearsal.parse(JSON.parse(row.doc)) : null;
    }

    async list(filter: { trainee?: string }, limit: number): Promise<Rehearsal[]> {
        const rows = await guarded('rehearsal read', () =>
            filter.trainee === undefined
                ? (this.sql.get('SELECT doc FROM rehearsals ORDER BY started_at DESC, id DESC LIMIT ?').all(limit) as { doc: string }[])
                : (this.sql.get('SELECT doc FROM rehearsals WHERE trainee = ? ORDER BY started_at DESC, id DESC LIMIT ?').all(filter.trainee, limit) as { doc: string }[]),
        );
        return rows.map((row) => Rehearsal.parse(JSON.parse(row.doc)));
    }

    close(): void {
        this.db.close();
    }
}
