import { describe, expect, it } from 'vitest';
import { RedisOutcomeStore } from '../../adapters/outcomes/RedisOutcomeStore';
import { outcomeStoreConformance } from '../helpers/outcomeStoreConformance';
import { testRedis } from '../helpers/redis';

const { redis, prefix } = await testRedis();
let n = 0;

describe.skipIf(!redis)('RedisOutcomeStore conformance (real Redis)', () => {
    outcomeStoreConformance(() => new RedisOutcomeStore(redis!, `${prefix}${++n}:`));

    it('loses no change when instances write one record at once', async () => {
        const store = new RedisOutcomeStore(redis!, `${prefix}${++n}:`);
        const ref = { conversationId: 'busy', channelId: 'webchat', ownerId: 'o' };
        const at = new Date('2026-11-24T02:00:00.000Z');
        await store.record(ref, at, { startedAt: at.toISOString() }, at);
        await Promise.all(Array.from({ length: 4 }, (_, i) => store.record(ref, at, { handoff: { at: new Date(at.getTime() + i * 1000).toISOString(), reason: 'requested', priority: 3 } })));
        const [record] = await store.list(at, new Date(at.getTime() + 60_000));
        expect(record?.handoffs).toBe(4);
    });
});
