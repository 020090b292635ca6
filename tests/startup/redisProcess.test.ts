import { describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { testRedis } from '../helpers/redis';
import { bestTimeToFirstAnswer, spawnLinli } from '../helpers/spawnLinli';
import { nlu, say } from '../helpers/testServer';

const { redis, prefix } = await testRedis();
const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix };

describe.skipIf(!redis)('the built server on Redis', () => {
    it('answers within 2 s of start', async () => {
        expect(await bestTimeToFirstAnswer(env, (url) => say(url, '您好', { conversationId: 'redis-timing' }))).toBeLessThan(2000);
    });

    it('keeps state across a restart', async () => {
        const first = await spawnLinli(env);
        try {
            const turn = await say(first.url, '量子纠缠是什么原理', { conversationId: 'redis-restart' });
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

});
