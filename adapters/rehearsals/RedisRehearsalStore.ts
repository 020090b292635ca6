import type { Redis } from 'ioredis';
import { Rehearsal } from '../../bot/rehearsal/Rehearsal';
import type { RehearsalStore } from '../../bot/rehearsal/RehearsalStore';
import { RedisTurnLock } from '../locks/RedisTurnLock';
import type { TurnLock } from '../../bot/locks/TurnLock';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/** Rehearsals in Redis under the key prefix: a hash of documents, and sorted sets by start time (all, per trainee). */
export class RedisRehearsalStore implements RehearsalStore {
    private readonly docsKey: string;
    private readonly allKey: string;
    readonly lock: TurnLock;

    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
    ) {
        this.docsKey = `${prefix}rehearsals:docs`;
        this.allKey = `${prefix}rehearsals:by-start`;
        this.lock = new RedisTurnLock(redis, `${prefix}rehearsals:`);
    }

    async save(rehearsal: Rehearsal): Promise<void> {
        const r = Rehearsal.parse(rehearsal);
        const at = Date.parse(r.startedAt);
        await guarded('rehearsal save', () => this.redis.multi().hset(this.docsKey, r.id, JSON.stringify(r)).zadd(this.allKey, at, r.id).zadd(this.traineeKey(r.trainee), at, r.id).exec());
    }

    async get(id: string): Promise<Rehearsal | null> {
        const doc = await guarded('rehearsal read', () => this.redis.hget(this.docsKey, id));
        return doc ? Rehearsal.parse(JSON.parse(doc)) : null;
    }

    async list(filter: { trainee?: string }, limit: number): Promise<Rehearsal[]> {
        const key = filter.trainee === undefined ? this.allKey : this.traineeKey(filter.trainee);
        const ids = await guarded('rehearsal read', () => this.redis.zrevrange(key, 0, limit - 1));
        if (ids.length === 0) return [];
        const docs = await guarded('rehearsal read', () => this.redis.hmget(this.docsKey, ...ids));
        return docs.flatMap((doc) => (doc ? [Rehearsal.parse(JSON.parse(doc))] : []));
    }

    private traineeKey(trainee: string): string {
        return `${this.prefix}rehearsals:trainee:${encodeURIComponent(trainee)}`;
    }
}
