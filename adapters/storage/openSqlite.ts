import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens (creating its folder) one of Linli's SQLite files the way every embedded store uses them: WAL, a busy
 * timeout, and `synchronous` FULL (fsync per commit) unless `everyTurn` — files written on every turn take NORMAL,
 * which keeps WAL consistent and may lose the last commits only on an OS crash.
 */
export function openSqlite(file: string, { everyTurn = false }: { everyTurn?: boolean } = {}): Database.Database {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    if (everyTurn) db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    return db;
}
