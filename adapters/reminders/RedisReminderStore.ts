import type { Redis } from 'ioredis';
import { ScheduledReminder, type ReminderStore } from '../../bot/proactive/ReminderStore';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/** Scheduled reminders in Redis: a sorted set by due time and a hash of documents, shared by every instance. */
export class RedisReminderStore implements ReminderStore {
    private readonly dueKey: string;
    private readonly docsKey: string;

    constructor(
        private readonly redis: Redis,
        prefix: string,
    ) {
        this.dueKey = `${prefix}reminders:due`;
        this.docsKey = `${prefix}reminders:docs`;
    }

    async schedule(reminder: ScheduledReminder): Promise<void> {
        const r = ScheduledReminder.parse(reminder);
        await guarded('reminder schedule', () => this.redis.multi().hset(this.docsKey, r.id, JSON.stringify(r)).zadd(this.dueKey, Date.parse(r.remindAt), r.id).exec());
    }

    async due(now: Date, limit = 50): Promise<ScheduledReminder[]> {
        const ids = await guarded('reminder read', () => this.redis.zrangebyscore(this.dueKey, '-inf', now.getTime(), 'LIMIT', 0, limit));
        if (ids.length === 0) return [];
        const docs = await guarded('reminder read', () => this.redis.hmget(this.docsKey, ...ids));
        return docs.flatMap((doc) => (doc ? [ScheduledReminder.parse(JSON.parse(doc))] : []));
    }

    async remove(id: string): Promise<void> {
        await guarded('reminder remove', () => this.redis.multi().zrem(this.dueKey, id).hdel(this.docsKey, id).exec());
    }
}
