import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/openSqlite';
import { StatementCache } from '../storage/StatementCache';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { StaffAccountRecord } from '../../bot/staff/StaffAccount';
import { PresenceRecord, StaffSession, type StaffStore } from '../../bot/staff/StaffStore';

/** Staff accounts, sessions and presence in SQLite (DATA_DIR/staff.sqlite). */
export class SqliteStaffStore implements StaffStore {
    private readonly db: Database.Database;
    private readonly sql: StatementCache;

    constructor(file: string) {
        this.db = openSqlite(file);
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS staff_accounts (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS staff_sessions (digest TEXT PRIMARY KEY, name TEXT NOT NULL, expires_at INTEGER NOT NULL, doc TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS staff_sessions_name ON staff_sessions (name);
            CREATE TABLE IF NOT EXISTS staff_presence (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
        `);
        this.sql = new StatementCache(this.db);
    }

    async createAccount(account: StaffAccountRecord): Promise<boolean> {
        const a = StaffAccountRecord.parse(account);
        const result = await guarded('staff account create', () => this.sql.get('INSERT OR IGNORE INTO staff_accounts (name, doc) VALUES (?, ?)').run(a.name, JSON.stringify(a)));
        return result.changes === 1;
    }

    async account(name: string): Promise<StaffAccountRecord | null> {
        const row = await guarded('staff account read', () => this.sql.get('SELECT doc FROM staff_accounts WHERE name = ?').get(name) as { doc: string } | undefined);
        return row ? StaffAccountRecord.parse(JSON.parse(row.doc)) : null;
    }

    async accounts(): Promise<StaffAccountRecord[]> {
        const rows = await guarded('staff account list', () => this.sql.get('SELECT doc FROM staff_accounts ORDER BY name').all() as { doc: string }[]);
        return rows.map((r) => StaffAccountRecord.parse(JSON.parse(r.doc)));
    }

    async updateAccount(account: StaffAccountRecord): Promise<boolean> {
        const a = StaffAccountRecord.parse(account);
        const result = await guarded('staff account update', () => this.sql.get('UPDATE staff_accounts SET doc = ? WHERE name = ?').run(JSON.stringify(a), a.name));
        return result.changes === 1;
    }

    async createSession(session: StaffSession): Promise<void> {
        const s = StaffSession.parse(session);
        await guarded('staff session create', () =>
            this.sql.get('INSERT OR REPLACE INTO staff_sessions (digest, name, expires_at, doc) VALUES (?, ?, ?, ?)').run(s.digest, s.name, Date.parse(s.expiresAt), JSON.stringify(s)),
        );
    }

    async session(digest: string, now: Date): Promise<StaffSession | null> {
        const row = await guarded('staff session read', () => this.sql.get('SELECT doc FROM staff_sessions WHERE digest = ? AND expires_at > ?').get(digest, now.getTime()) as { doc: string } | undefined);
        return row ? StaffSession.parse(JSON.parse(row.doc)) : null;
    }

    async deleteSession(digest: string): Promise<void> {
        await guarded('staff session delete', () => this.sql.get('DELETE FROM staff_sessions WHERE digest = ?').run(digest));
    }

    async deleteSessionsOf(name: string): Promise<number> {
        const result = await guarded('staff session delete', () => this.sql.get('DELETE FROM staff_sessions WHERE name = ?').run(name));
        // Expired sessions are dropped whenever an account's sessions are: a cheap moment to keep the table small.
        await guarded('staff session sweep', () => this.sql.get('DELETE FROM staff_sessions WHERE expires_at <= ?').run(Date.now()));
        return result.changes;
    }

    async touchPresence(name: string, at: Date): Promise<void> {
        await guarded('staff presence write', () =>
            this.db.transaction(() => {
                const current = this.readPresence(name);
                const next: PresenceRecord = { name, chosen: current?.chosen ?? 'online', lastSeenAt: at.toISOString() };
                this.sql.get('INSERT OR REPLACE INTO staff_presence (name, doc) VALUES (?, ?)').run(name, JSON.stringify(next));
            }).immediate(),
        );
    }

    async choosePresence(name: string, chosen: PresenceRecord['chosen']): Promise<void> {
        await guarded('staff presence write', () =>
            this.db.transaction(() => {
                const current = this.readPresence(name);
                const next: PresenceRecord = { name, chosen, lastSeenAt: current?.lastSeenAt ?? null };
                this.sql.get('INSERT OR REPLACE INTO staff_presence (name, doc) VALUES (?, ?)').run(name, JSON.stringify(next));
            }).immediate(),
        );
    }

    async presence(): Promise<PresenceRecord[]> {
        const rows = await guarded('staff presence read', () => this.sql.get('SELECT doc FROM staff_presence ORDER BY name').all() as { doc: string }[]);
        return rows.map((r) => PresenceRecord.parse(JSON.parse(r.doc)));
    }

    close(): void {
        this.db.close();
    }

    private readPresence(name: string): PresenceRecord | null {
        const row = this.sql.get('SELECT doc FROM staff_presence WHERE name = ?').get(name) as { doc: string } | undefined;
        return row ? PresenceRecord.parse(JSON.parse(row.doc)) : null;
    }
}
