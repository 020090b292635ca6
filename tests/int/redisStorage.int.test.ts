import { describe, expect, it } from 'vitest';
import { conversationTtl } from '../../bot/storage/PingableStorage';
import { RedisStorage } from '../../adapters/storage/RedisStorage';
import { storageConformance } from '../helpers/storageConformance';
import { testRedis } from '../helpers/redis';

const { redis, prefix } = await testRedis();

describe.skipIf(!redis)('RedisStorage conformance (real Redis)', () => {
    // Each test gets its own prefix so the suite's fixed keys never meet.
    storageConformance(() => new RedisStorage(redis!, `${prefix}${Math.random().toString(36).slice(2, 8)}:`));
});

describe.skipIf(!redis)('RedisStorage', () => {
    it('puts the prefix on every key and a TTL on conversation state only', async () => {
        const storage = new RedisStorage(redis!, `${prefix}ttl:`, conversationTtl(120));
        await storage.write({ 'web/conversations/c': { a: 1 }, 'web/users/u': { b: 2 } });
        const convTtl = await redis!.ttl(`${prefix}ttl:state:web/conversations/c`);
        const userTtl = await redis!.ttl(`${prefix}ttl:state:web/users/u`);
        expect(convTtl).toBeGreaterThan(100);
        expect(convTtl).toBeLessThanOrEqual(120);
        expect(userTtl).toBe(-1);
    });

    it('lets exactly one of many concurrent writers with the same eTag win', async () => {
        const storage = new RedisStorage(redis!, `${prefix}race:`);
        await storage.write({ item: { n: 0 } });
        const { item } = await storage.read(['item']);
        const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => storage.write({ item: { ...item, n: i + 1 } })));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    });
});
