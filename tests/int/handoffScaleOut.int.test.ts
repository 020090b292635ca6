import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { AgentApi, eventually } from '../helpers/agentApi';
import { testRedis } from '../helpers/redis';
import { spawnLinli, type LinliProcess } from '../helpers/spawnLinli';
import { StandInChannel } from '../helpers/standInChannel';
import { say, texts } from '../helpers/testServer';

const { redis, prefix } = await testRedis();
const TOKEN = 'alice-token-0123456789';
const channel = new StandInChannel();
let a: LinliProcess;
let b: LinliProcess;

describe.skipIf(!redis)('handoff across two server processes on one Redis', () => {
    beforeAll(async () => {
        await channel.start();
        const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix, AGENT_TOKENS: `alice:${TOKEN}`, LOG_LEVEL: 'warn' };
        [a, b] = await Promise.all([spawnLinli({ ...env, LOG_LEVEL: 'info' }), spawnLinli({ ...env, LOG_LEVEL: 'info' })]);
    }, 30_000);
    afterAll(async () => {
        await Promise.all([a?.stop(), b?.stop()]);
        await channel.stop();
    });

    it('the owner talks to one instance, the agent to the other, and both directions arrive', async () => {
        const owner = { conversationId: 'scale-out-1', userId: 'owner-so', channelId: 'webchat', serviceUrl: channel.url };
        const agent = new AgentApi(b.url, TOKEN);
        const feed = await agent.feed();
        // Each instance subscribes to the feed channel in the background at start-up: wait until both hold.
        const subscribers = async () => Number(((await redis!.pubsub('NUMSUB', `${prefix}handoff-feed`)) as [string, number])[1]);
        for (let i = 0; i < 100 && (await subscribers()) < 2; i++) await new Promise((r) => setTimeout(r, 50));
        expect(await subscribers()).toBe(2);

        const asked = await say(a.url, '我要转人工', owner);
        expect(asked.activities.some((x) => x.name === 'handoff.initiate')).toBe(true);
        await eventually(() => feed.events.some((e) => e.type === 'queued'), 5000);
        const queue = await agent.call('GET', '/api/handoffs');
        expect((queue.json.handoffs as { conversationId: string }[]).map((h) => h.conversationId)).toContain('scale-out-1');

        expect((await agent.call('POST', '/api/handoffs/scale-out-1/accept')).status).toBe(200);
        await eventually(() => channel.to('scale-out-1').some((d) => d.text?.includes('alice')));

        // Owner → instance A → Redis → the agent's feed on instance B; the bot stays silent.
        const meanwhile = await say(a.url, '楼下一直在漏水', owner);
        expect(texts(meanwhile)).toEqual([]);
        await eventually(() => feed.events.some((e) => e.type === 'message' && JSON.stringify(e.data).includes('楼下一直在漏水')), 5000);

        // Agent → instance B → the owner's channel.
        expect((await agent.call('POST', '/api/handoffs/scale-out-1/messages', { text: '收到，维修师傅十分钟到' })).status).toBe(200);
        expect(channel.to('scale-out-1').some((d) => d.text === 'alice：收到，维修师傅十分钟到')).toBe(true);

        // The transcript read on B has what was said on A.
        const transcript = await agent.call('GET', '/api/handoffs/scale-out-1/transcript');
        expect(JSON.stringify(transcript.json.entries)).toContain('楼下一直在漏水');

        expect((await agent.call('POST', '/api/handoffs/scale-out-1/release')).status).toBe(200);
        const back = await say(a.url, '您好', owner);
        expect(texts(back).length).toBeGreaterThan(0);
        feed.close();
    }, 30_000);
});
