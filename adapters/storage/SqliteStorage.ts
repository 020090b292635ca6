import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from './openSqlite';
import type { StoreItems } from 'botbuilder';
import type { PingableStorage, TtlPolicy } from '../../bot/storage/PingableStorage';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { eTagConflict, expectedETag, requireChanges, requireKeys, withoutETag } from '../../bot/storage/storageErrors';

interface Row {
    key: string;
    doc: string;
    etag: string;
}

/**
 * The embedded store: SQLite (better-sqlite3) in WAL mode under DATA_DIR. A write batch is one transaction, so an
 * eTag conflict on any item leaves every item as it was. Several processes (the server and `npm run chat`) may open
 * the same file.
 */
export class SqliteStorage implements PingableStorage {
    readonly kind = 'embedded' as const;
    private readonly db: Database.Database;
    private readonly selectOne: Database.Statement<[string, number], Row>;
    private readonly upsert: Database.Statement<[string, string, string, number | null]>;
    private readonly remove: Database.Statement<[string]>;
    private readonly writeBatch: (changes: Record<string, Record<string, unknown>>) => void;

    constructor(file: string, private readonly ttl: TtlPolicy = () => undefined, private readonly now: () => number = Date.now) {
        this.db = openSqlite(file, { everyTurn: true });
        this.db.exec(`CREATE TABLE IF NOT EXISTS bot_state (
            key TEXT PRIMARY KEY,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL,
            expires_at INTEGER
        ) WITHOUT ROWID`);
        this.selectOne = this.db.prepare(
            'SELECT key, doc, etag FROM bot_state WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
        );
        this.upsert = this.db.prepare(
            `INSERT INTO bot_state (key, doc, etag, expires_at) VALUES (?, ?, ?, ?)
             ON CONFLICT(key) DO UPDATE SET doc = excluded.doc, etag = excluded.etag, expires_at = excluded.expires_at`,
        );
        this.remove = this.db.prepare('DELETE FROM bot_state WHERE key = ?');
        this.writeBatch = this.db.transaction((changes: Record<string, Record<string, unknown>>) => {
            const now = this.now();
            for (const [key, item] of Object.entries(changes)) {
                const expected = expectedETag(item);
                if (expected !== undefined) {
                    const current = this.selectOne.get(key, now);
                    if (current && current.etag !== expected) throw eTagConflict(key);
                }
                const ttlSeconds = this.ttl(key);
                this.upsert.run(key, JSON.stringify(withoutETag(item)), randomUUID(), ttlSeconds ? now + ttlSeconds * 1000 : null);
            }
        });
    }

    async read(keys: string[]): Promise<StoreItems> {
        const wanted = requireKeys(keys);
        const now = this.now();
        const items: StoreItems = {};
        for (const key of wanted) {
            const row = await guarded('read', () => this.selectOne.get(key, now));
            if (row) items[key] = { ...(JSON.parse(row.doc) as Record<string, unknown>), eTag: row.etag };
        }
        return items;
    }

    async write(changes: StoreItems): Promise<void> {
        const batch = requireChanges(changes);
        await guarded('write', () => this.writeBatch(batch));
    }

    async delete(keys: string[]): Promise<void> {
        const wanted = requireKeys(keys);
        await guarded('delete', () => this.db.transaction(() => wanted.forEach((key) => this.remove.run(key)))());
    }

    /** Drops expired rows; reads already ignore them, this only reclaims space. */
    async sweepExpired(): Promise<number> {
        return guarded('sweep', () => this.db.prepare('DELETE FROM bot_state WHERE expires_at IS NOT NULL AND expires_at <= ?').run(this.now()).changes);
    }

    async ping(): Promise<void> {
        await guarded('ping', () => this.db.prepare('SELECT 1').get());
    }

    async close(): Promise<void> {
        if (this.db.open) this.db.close();
    }
}
