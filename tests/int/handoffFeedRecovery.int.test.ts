import { afterAll, describe, expect, it } from 'vitest';
import { isCi } from '../../bot/config';
import { AgentApi, eventually } from '../helpers/agentApi';
import { RedisServerProcess, redisServerInstalled } from '../helpers/RedisServerProcess';
import { say, startTestServer, type TestServer } from '../helpers/testServer';

const installed = redisServerInstalled();
if (!installed && isCi()) throw new Error('CI is set but redis-server is not installed');

const TOKEN = 'alice-token-0123456789';

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function readyWithin(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await readyz(url)).status !== 200) {
        if (Date.now() > deadline) throw new Error(`/readyz not 200 within ${timeoutMs} ms: ${JSON.stringify((await readyz(url)).body)}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}

/** An owner on instance `from` asks for a person; the agent's feed on the other instance must hear of it. */
async function handoffReaches(from: string, feed: Awaited<ReturnType<AgentApi['feed']>>, conversationId: string): Promise<void> {
    const asked = await say(from, '我要转人工', { conversationId, userId: `owner-${conversationId}` });
    expect(asked.activities.some((a) => a.name === 'handoff.initiate')).toBe(true);
    await eventually(() => feed.events.some((e) => e.type === 'queued' && JSON.stringify(e.data).includes(conversationId)), 5000);
}

describe.skipIf(!installed)('the handoff feed of an instance started while Redis is down (own redis-server)', () => {
    const servers: TestServer[] = [];
    let redis: RedisServerProcess | undefined;
    afterAll(async () => {
        await Promise.all(servers.map((s) => s.close()));
        await redis?.remove();
    });

    it('is not ready until subscribed, then hears other instances — and again after Redis restarts', async () => {
        redis = await RedisServerProcess.create();
        const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'linli-feed:', AGENT_TOKENS: `alice:${TOKEN}` };
        const early = await startTestServer(env); // Redis not started yet
        servers.push(early);
        // Down for a while, as in production: long enough for the first subscription attempt to have given up.
        await new Promise((r) => setTimeout(r, 1500));
        const down = await readyz(early.url);
        expect(down.status).toBe(503);

        await redis.start();
        await readyWithin(early.url, 5000);
        const late = await startTestServer(env);
        servers.push(late);
        const feed = await new AgentApi(early.url, TOKEN).feed();
        await handoffReaches(late.url, feed, 'feed-after-start');

        // Redis crashes and comes back: the subscription is made again, and readiness says so meanwhile.
        await redis.kill();
        await eventually(() => !early.linli.feed.subscribed, 5000);
        const crashed = await readyz(early.url);
        expect(crashed.status).toBe(503);
        await redis.start();
        await readyWithin(early.url, 5000);
        await readyWithin(late.url, 5000);
        await handoffReaches(late.url, feed, 'feed-after-restart');
        feed.close();
    }, 40_000);

});
