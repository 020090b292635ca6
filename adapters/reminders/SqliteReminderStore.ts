import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/openSqlite';
import { ScheduledReminder, type ReminderStore } from '../../bot/proactive/ReminderStore';
import { StatementCache } from '../storage/StatementCache';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/** Scheduled reminders in SQLite, indexed by due time. */
export class SqliteReminderStore implements ReminderStore {
    private readonly db: Database.Database;
    private readonly sql: StatementCache;

    constructor(file: string) {
        this.db = openSqlite(file);
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS reminders (id TEXT PRIMARY KEY, doc TEXT NOT NULL, remind_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS reminders_due ON reminders (remind_at);
        `);
        this.sql = new StatementCache(this.db);
    }

    async schedule(reminder: ScheduledReminder): Promise<void> {
        const r = ScheduledReminder.parse(reminder);
        await guarded('reminder schedule', () => this.sql.get('INSERT OR REPLACE INTO reminders (id, doc, remind_at) VALUES (?, ?, ?)').run(r.id, JSON.stringify(r), Date.parse(r.remindAt)));
    }

    async due(now: Date, limit = 50): Promise<ScheduledReminder[]> {
        const rows = await guarded('reminder read', () => this.sql.get('SELECT doc FROM reminders WHERE remind_at <= ? ORDER BY remind_at LIMIT ?').all(now.getTime(), limit) as { doc: string }[]);
        return rows.map((r) => ScheduledReminder.parse(JSON.parse(r.doc)));
    }

    async remove(id: string): Promise<void> {
        await guarded('reminder remove', () => this.sql.get('DELETE FROM reminders WHERE id = ?').run(id));
    }

    close(): void {
        this.db.close();
    }
}
