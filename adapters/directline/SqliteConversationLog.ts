import type { Activity } from 'botbuilder';
import type Database from 'better-sqlite3';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { ConversationEndedError } from '../../bot/webchat/ConversationEndedError';
import {
    activityId,
    conversationLife,
    MAX_ACTIVITIES_PER_CONVERSATION,
    pushOf,
    type ActivitySet,
    type ConversationLog,
    type PushListener,
    type StoredUpload,
    type WebConversation,
} from '../../bot/webchat/ConversationLog';
import { openSqlite } from '../storage/openSqlite';
import { PushHub } from './PushHub';

/**
 * Direct Line conversations in the embedded store: one instance, so its pushes are in-process. Expired rows are
 * skipped by every read and removed as new conversations are created.
 */
export class SqliteConversationLog implements ConversationLog {
    private readonly db: Database.Database;
    private readonly hub = new PushHub();

    constructor(
        file: string,
        private readonly ttlSeconds: number,
        private readonly now: () => number = Date.now,
    ) {
        this.db = openSqlite(file, { everyTurn: true });
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS conversations (id TEXT PRIMARY KEY, doc TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0, expires_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS conversations_expiry ON conversations (expires_at);
            CREATE TABLE IF NOT EXISTS activities (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (conversation_id, seq));
            CREATE TABLE IF NOT EXISTS uploads (conversation_id TEXT NOT NULL, id TEXT NOT NULL, content_type TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (conversation_id, id));
        `);
    }

    async create(conversation: WebConversation): Promise<void> {
        await guarded('create conversation', () => {
            this.sweep();
            this.db.prepare('INSERT INTO conversations (id, doc, expires_at) VALUES (?, ?, ?)').run(conversation.id, JSON.stringify(conversation), this.expiry(conversation));
        });
    }

    async get(conversationId: string): Promise<WebConversation | null> {
        const row = await guarded('read conversation', () =>
            this.db.prepare('SELECT doc FROM conversations WHERE id = ? AND expires_at > ?').get(conversationId, this.now()) as { doc: string } | undefined,
        );
        return row ? (JSON.parse(row.doc) as WebConversation) : null;
    }

    async markStarted(conversationId: string): Promise<{ conversation: WebConversation; first: boolean } | null> {
        // better-sqlite3 is synchronous: read and write run with nothing in between, so one caller alone sees `false`.
        return guarded('start conversation', () => {
            const row = this.db.prepare('SELECT doc FROM conversations WHERE id = ? AND expires_at > ?').get(conversationId, this.now()) as { doc: string } | undefined;
            if (!row) return null;
            const conversation = JSON.parse(row.doc) as WebConversation;
            if (conversation.started) return { conversation, first: false };
            conversation.started = true;
            this.db.prepare('UPDATE conversations SET doc = ? WHERE id = ?').run(JSON.stringify(conversation), conversationId);
            return { conversation, first: true };
        });
    }

    async append(conversation: WebConversation, activity: Partial<Activity>, options: { ownerSpoke?: boolean } = {}): Promise<Partial<Activity>> {
        const expiry = this.expiry(options.ownerSpoke ? { ...conversation, ownerSpoke: true } : conversation);
        const stored = await guarded('append activity', () =>
            this.db.transaction(() => {
                const numbered = this.db
                    .prepare(
                        options.ownerSpoke
                            ? "UPDATE conversations SET seq = seq + 1, expires_at = ?, doc = json_set(doc, '$.ownerSpoke', json('true')) WHERE id = ? AND expires_at > ? RETURNING seq"
                            : 'UPDATE conversations SET seq = seq + 1, expires_at = ? WHERE id = ? AND expires_at > ? RETURNING seq',
                    )
                    .get(expiry, conversation.id, this.now()) as { seq: number } | undefined;
                if (!numbered) return null;
                const { seq } = numbered;
                const withId = { ...activity, id: activityId(conversation.id, seq) };
                const doc = JSON.stringify(withId);
                this.db.prepare('INSERT INTO activities (conversation_id, seq, doc) VALUES (?, ?, ?)').run(conversation.id, seq, doc);
                this.db.prepare('DELETE FROM activities WHERE conversation_id = ? AND seq <= ?').run(conversation.id, seq - MAX_ACTIVITIES_PER_CONVERSATION);
                return { activity: withId, seq, doc };
            })(),
        );
        if (!stored) throw new ConversationEndedError(conversation.id);
        if (this.hub.has(conversation.id)) this.hub.deliver(conversation.id, { watermark: String(stored.seq), frame: `{"activities":[${stored.doc}],"watermark":"${stored.seq}"}` });
        return stored.activity;
    }

    async list(conversationId: string, watermark = 0): Promise<ActivitySet> {
        return guarded('list activities', () => {
            const rows = this.db.prepare('SELECT seq, doc FROM activities WHERE conversation_id = ? AND seq > ? ORDER BY seq').all(conversationId, watermark) as { seq: number; doc: string }[];
            const last = rows.at(-1)?.seq ?? watermark;
            return { activities: rows.map((r) => JSON.parse(r.doc) as Partial<Activity>), watermark: String(last) };
        });
    }

    async replay(conversationId: string, watermark = 0): Promise<ActivitySet | null> {
        return (await this.get(conversationId)) ? this.list(conversationId, watermark) : null;
    }

    async pushTransient(conversationId: string, activity: Partial<Activity>): Promise<void> {
        this.hub.deliver(conversationId, pushOf([activity]));
    }

    listen(conversationId: string, listener: PushListener): () => void {
        return this.hub.listen(conversationId, listener);
    }

    async saveUpload(conversation: WebConversation, upload: StoredUpload): Promise<void> {
        await guarded('save upload', () =>
            this.db.prepare('INSERT INTO uploads (conversation_id, id, content_type, name, data) VALUES (?, ?, ?, ?, ?)').run(conversation.id, upload.id, upload.contentType, upload.name, upload.data),
        );
    }

    async getUpload(conversationId: string, uploadId: string): Promise<StoredUpload | null> {
        const row = await guarded('read upload', () =>
            this.db
                .prepare('SELECT u.id, u.content_type, u.name, u.data FROM uploads u JOIN conversations c ON c.id = u.conversation_id WHERE u.conversation_id = ? AND u.id = ? AND c.expires_at > ?')
                .get(conversationId, uploadId, this.now()) as { id: string; content_type: string; name: string; data: Buffer } | undefined,
        );
        return row ? { id: row.id, contentType: row.content_type, name: row.name, data: row.data } : null;
    }

    async ping(): Promise<void> {
        await guarded('ping', () => this.db.prepare('SELECT 1').get());
    }

    async close(): Promise<void> {
        this.db.close();
    }

    private expiry(conversation: WebConversation): number {
        return this.now() + conversationLife(conversation, this.ttlSeconds) * 1000;
    }

    /** Reclaims expired conversations with their activities and uploads. */
    private sweep(): void {
        const now = this.now();
        this.db.prepare('DELETE FROM activities WHERE conversation_id IN (SELECT id FROM conversations WHERE expires_at <= ?)').run(now);
        this.db.prepare('DELETE FROM uploads WHERE conversation_id IN (SELECT id FROM conversations WHERE expires_at <= ?)').run(now);
        this.db.prepare('DELETE FROM conversations WHERE expires_at <= ?').run(now);
    }
}
