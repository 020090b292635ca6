import type Database from 'better-sqlite3';
import type { ExpiringKeys } from '../../bot/storage/ExpiringKeys';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { openSqlite } from './openSqlite';
import { StatementCache } from './StatementCache';

/** Expired rows are removed every this many writes (reads already ignore them). */
const SWEEP_EVERY = 500;

/**
 * Expiring keys in SQLite. A claim is one INSERT … ON CONFLICT that takes over only an expired row: SQLite runs it
 * under its write lock, so two processes sharing the file cannot both win.
 */
export class SqliteExpiringKeys implements ExpiringKeys {
    private readonly db: Database.Database;
    private readonly sql: StatementCache;
    private writes = 0;

    constructor(file: string, private readonly now: () => number = Date.now) {
        this.db = openSqlite(file, { everyTurn: true });
        this.db.exec('CREATE TABLE IF NOT EXISTS expiring_keys (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL)');
        this.sql = new StatementCache(this.db);
    }

    async claim(key: string, value: string, ttlMs: number): Promise<boolean> {
        const now = this.now();
        const result = await guarded('key claim', () =>
            this.sql
                .get('INSERT INTO expiring_keys (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE expiring_keys.expires_at <= ?')
                .run(key, value, now + ttlMs, now),
        );
        this.swept(now);
        return result.changes === 1;
    }

    async set(key: string, value: string, ttlMs: number): Promise<void> {
        const now = this.now();
        await guarded('key write', () => this.sql.get('INSERT OR REPLACE INTO expiring_keys (key, value, expires_at) VALUES (?, ?, ?)').run(key, value, now + ttlMs));
        this.swept(now);
    }

    async get(key: string): Promise<string | null> {
        const row = await guarded('key read', () => this.sql.get('SELECT value FROM expiring_keys WHERE key = ? AND expires_at > ?').get(key, this.now()) as { value: string } | undefined);
        return row?.value ?? null;
    }

    async increment(key: string, by: number, ttlMs: number): Promise<number> {
        const now = this.now();
        const row = await guarded('key increment', () =>
            this.sql
                .get(
                    `INSERT INTO expiring_keys (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET
                       value = CASE WHEN expiring_keys.expires_at <= ? THEN excluded.value ELSE CAST(expiring_keys.value AS INTEGER) + ? END,
                       expires_at = CASE WHEN expiring_keys.expires_at <= ? THEN excluded.expires_at ELSE expiring_keys.expires_at END
                     RETURNING value`,
                )
                .get(key, String(by), now + ttlMs, now, by, now) as { value: string | number },
        );
        this.swept(now);
        return Number(row.value);
    }

    async delete(key: string): Promise<void> {
        await guarded('key delete', () => this.sql.get('DELETE FROM expiring_keys WHERE key = ?').run(key));
    }

    close(): void {
        this.db.close();
    }

    private swept(now: number): void {
        this.writes += 1;
        if (this.writes % SWEEP_EVERY === 0) this.sql.get('DELETE FROM expiring_keys WHERE expires_at <= ?').run(now);
    }
}
