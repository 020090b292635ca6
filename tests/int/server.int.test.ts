import { afterAll, describe, expect, it } from 'vitest';
import { dropPrefix, reachableRedis, uniquePrefix } from '../helpers/redis';
import { spawnLinli } from '../helpers/spawnLinli';
import { nlu, say, startTestServer, texts } from '../helpers/testServer';
import { testRedisUrl } from '../../bot/config';

const redis = await reachableRedis();
const prefix = uniquePrefix();
const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix };

afterAll(async () => {
    if (!redis) return;
    await dropPrefix(redis, prefix);
    redis.disconnect();
});

describe.skipIf(!redis)('Linli on Redis', () => {
    it('answers within 2 s of start and keeps state across a restart', async () => {
        const first = await spawnLinli(env);
        try {
            const turn = await say(first.url, '量子纠缠是什么原理', { conversationId: 'redis-restart' });
            expect(Date.now() - first.spawnedAt).toBeLessThan(2000);
            expect(nlu(turn)?.escalate).toBe(false);
            expect(await (await fetch(`${first.url}/readyz`)).json()).toMatchObject({ status: 'ready', store: 'redis' });
        } finally {
            await first.stop();
        }
        const second = await spawnLinli(env);
        try {
            const turn = await say(second.url, '火星上能种土豆吗', { conversationId: 'redis-restart' });
            expect(nlu(turn)).toMatchObject({ escalate: true, escalationReason: 'not_understood' });
        } finally {
            await second.stop();
        }
    });

    it('serialises concurrent turns of one conversation across two instances', async () => {
        const a = await startTestServer(env);
        const b = await startTestServer(env);
        try {
            const n = 30;
            const turns = await Promise.all(
                Array.from({ length: n }, (_, i) => say(i % 2 ? a.url : b.url, `您好${i}`, { conversationId: 'two-instances' })),
            );
            expect(turns.every((t) => t.status === 200 && texts(t).length === 1)).toBe(true);
            const key = 'emulator/conversations/two-instances/';
            const stored = await a.linli.storage.read([key]);
            expect((stored[key]?.memory as { turns: number }).turns).toBe(n);
            const keys = await redis!.keys(`${prefix}*`);
            expect(keys.every((k) => k.startsWith(prefix))).toBe(true);
            expect(await redis!.ttl(`${prefix}state:${key}`)).toBeGreaterThan(0);
        } finally {
            await a.close();
            await b.close();
        }
    });
});
