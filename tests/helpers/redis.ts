import type { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { dropPrefix, reachableRedis, uniquePrefix } from './redisKeys';

// The plain helpers live in redisKeys.ts (no vitest), so the fuzz and soak commands can use them too.
export { dropPrefix, reachableRedis, uniquePrefix };

/**
 * For an integration test file: the test Redis (or null locally without one), a key prefix of its own, and, after
 * the file, its keys removed and the connection closed.
 */
export async function testRedis(): Promise<{ redis: Redis | null; prefix: string }> {
    const redis = await reachableRedis();
    const prefix = uniquePrefix();
    afterAll(async () => {
        if (!redis) return;
        await dropPrefix(redis, prefix);
        redis.disconnect();
    });
    return { redis, prefix };
}
