import type { Redis } from 'ioredis';
import type { ExpiringKeys } from '../../bot/storage/ExpiringKeys';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/** Expiring keys in Redis: SET NX PX for a claim, so exactly one instance wins it. */
export class RedisExpiringKeys implements ExpiringKeys {
    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
    ) {}

    private key(key: string): string {
        return `${this.prefix}keys:${key}`;
    }

    async claim(key: string, value: string, ttlMs: number): Promise<boolean> {
        return (await guarded('key claim', () => this.redis.set(this.key(key), value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX'))) === 'OK';
    }

    async set(key: string, value: string, ttlMs: number): Promise<void> {
        await guarded('key write', () => this.redis.set(this.key(key), value, 'PX', Math.max(1, Math.round(ttlMs))));
    }

    get(key: string): Promise<string | null> {
        return guarded('key read', () => this.redis.get(this.key(key)));
    }

    async increment(key: string, by: number, ttlMs: number): Promise<number> {
        const full = this.key(key);
        const results = await guarded('key increment', () => this.redis.multi().incrby(full, by).pexpire(full, Math.max(1, Math.round(ttlMs))).exec());
        const [error, sum] = results?.[0] ?? [new Error('no answer'), null];
        if (error) throw error;
        return Number(sum);
    }

    async delete(key: string): Promise<void> {
        await guarded('key delete', () => this.redis.del(this.key(key)));
    }
}
