import { describe, expect, it } from 'vitest';
import { testRedis } from '../helpers/redis';
import { say, startTestServer, texts } from '../helpers/testServer';
import { testRedisUrl } from '../../bot/config';

const { redis, prefix } = await testRedis();
const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix };

describe.skipIf(!redis)('Linli on Redis', () => {
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
