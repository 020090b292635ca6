import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import { guarded } from '../storage/StorageUnavailableError';
import { LockTimeoutError, releaser, type Release, type TurnLock } from './TurnLock';

const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliReleaseLock(key: string, token: string): Result<number, Context>;
    }
}

/**
 * A lease per conversation in Redis (SET NX PX with a random token), shared by every instance. The lease expires
 * by itself if an instance dies mid-turn; only the owner's token can release it.
 */
export class RedisTurnLock implements TurnLock {
    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
        private readonly leaseMs = 30_000,
        private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    ) {
        redis.defineCommand('linliReleaseLock', { numberOfKeys: 1, lua: RELEASE_IF_OWNER });
    }

    async acquire(key: string, timeoutMs: number): Promise<Release> {
        const lockKey = `${this.prefix}lock:turn:${key}`;
        const token = randomUUID();
        const deadline = Date.now() + timeoutMs;
        let wait = 2;
        let attempts = 0;
        for (;;) {
            attempts += 1;
            const ok = await guarded('lock', () => this.redis.set(lockKey, token, 'PX', Math.max(this.leaseMs, timeoutMs), 'NX'));
            if (ok === 'OK') break;
            if (Date.now() + wait > deadline) throw new LockTimeoutError(key, timeoutMs);
            await this.sleep(wait + Math.random() * wait);
            wait = Math.min(wait * 2, 50);
        }
        let released = false;
        return releaser(async () => {
            if (released) return;
            released = true;
            await this.redis.linliReleaseLock(lockKey, token);
        }, attempts > 1);
    }
}
