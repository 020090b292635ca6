import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { isCi, testRedisUrl } from '../../bot/config';

/**
 * A connection to the test Redis, or null when none answers. Under CI a missing Redis is an error, never a skip:
 * a green run must mean the Redis code ran.
 */
export async function reachableRedis(): Promise<Redis | null> {
    const url = testRedisUrl();
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1500, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
        await redis.connect();
        await redis.ping();
        return redis;
    } catch (error) {
        redis.disconnect();
        if (isCi()) throw new Error(`CI is set but Redis at ${url} is unreachable: ${(error as Error).message}`);
        return null;
    }
}

export function uniquePrefix(): string {
    return `linli-test:${randomUUID().slice(0, 8)}:`;
}

/** Removes every key under a test prefix. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
    let cursor = '0';
    do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
    } while (cursor !== '0');
}
