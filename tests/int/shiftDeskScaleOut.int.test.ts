import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { AgentApi, eventually } from '../helpers/agentApi';
import { testRedis } from '../helpers/redis';
import { spawnLinli, type LinliProcess } from '../helpers/spawnLinli';
import { StandInChannel } from '../helpers/standInChannel';
import { say } from '../helpers/testServer';

/**
 * The shift desk across two server processes on one Redis, an agent signed in on each: accounts made on one instance
 * sign in on the other, offers made by whichever instance runs the round reach the agent's feed on theirs, an accept
 * by the other agent is refused, transfers and notes cross over, and an urgent case nobody takes is escalated on both
 * and stays queued. Timers are seconds, set through the environment.
 */
const { redis, prefix } = await testRedis();
const BOSS = 'boss-token-0123456789abcdef';
const channel = new StandInChannel();
let a: LinliProcess;
let b: LinliProcess;

type Feed = Awaited<ReturnType<AgentApi['feed']>>;
const about = (feed: Feed, type: string, conversationId: string) =>
    feed.events.filter((e) => e.type === type && JSON.stringify(e.data).includes(`"conversationId":"${conversationId}"`));

async function signIn(url: string, name: string, password: string): Promise<AgentApi> {
    const res = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
    expect(res.status).toBe(201);
    return new AgentApi(url, ((await res.json()) as { token: string }).token);
}

describe.skipIf(!redis)('the shift desk across two instances on one Redis', () => {
    beforeAll(async () => {
        await channel.start();
        const env = {
            REDIS_URL: testRedisUrl(),
            REDIS_KEY_PREFIX: prefix,
            AGENT_TOKENS: `boss:${BOSS}`,
            LOG_LEVEL: 'info',
            HANDOFF_POLL_SECONDS: '1',
            HANDOFF_OFFER_SECONDS: '2',
            HANDOFF_URGENT_ESCALATE_SECONDS: '2',
            HANDOFF_SAFETY_REMINDER_SECONDS: '3',
            HANDOFF_ACCEPT_TIMEOUT_SECONDS: '10',
            STAFF_HEARTBEAT_SECONDS: '1',
            STAFF_AWAY_SECONDS: '3',
        };
        [a, b] = await Promise.all([spawnLinli(env, 25_000), spawnLinli(env, 25_000)]);
    }, 60_000);
    afterAll(async () => {
        await Promise.all([a?.stop(), b?.stop()]);
        await channel.stop();
    });

    it('offers, refuses the other agent, transfers with notes and escalates across instances', async () => {
        const boss = new AgentApi(a.url, BOSS);
        for (const [name, displayName] of [['xiaowang', '客服小王'], ['xiaoli', '客服小李']]) {
            expect((await boss.call('POST', '/api/accounts', { name, displayName, password: `${name}-passphrase`, roles: ['agent'], capacity: 1 })).status).toBe(201);
        }
        // One agent on each instance, each holding the feed of their own.
        const wang = await signIn(a.url, 'xiaowang', 'xiaowang-passphrase');
        const li = await signIn(b.url, 'xiaoli', 'xiaoli-passphrase');
        const subscribers = async () => Number(((await redis!.pubsub('NUMSUB', `${prefix}handoff-feed`)) as [string, number])[1]);
        for (let i = 0; i < 100 && (await subscribers()) < 2; i++) await new Promise((r) => setTimeout(r, 50));
        const wangFeed = await wang.feed();
        const liFeed = await li.feed();
        const status = async () => Object.fromEntries(((await boss.call('GET', '/api/agents')).json.agents as { name: string; status: string }[]).map((x) => [x.name, x.status]));
        for (let i = 0; i < 100; i++) {
            const s = await status();
            if (s.xiaowang === 'online' && s.xiaoli === 'online') break;
            await new Promise((r) => setTimeout(r, 50));
        }
        expect(await status()).toMatchObject({ xiaowang: 'online', xiaoli: 'online' });

        // An owner on instance A asks for a person: it is offered to one agent, and the other's accept is refused.
        const ordinary = { conversationId: 'desk-so-1', userId: 'owner-so-1', channelId: 'webchat', serviceUrl: channel.url, channelData: { owner: { name: '赵先生', building: '7', room: '301' } } };
        await say(a.url, '我要找人工客服', ordinary);
        await eventually(() => about(liFeed, 'handoff.offered', 'desk-so-1').length > 0 && about(wangFeed, 'handoff.offered', 'desk-so-1').length > 0, 5000);
        const offer = about(liFeed, 'handoff.offered', 'desk-so-1')[0]!.data.handoff as { offeredTo: string; owner: unknown };
        expect(offer.owner).toEqual({ name: '赵先生', building: '7', room: '301' });
        const [taker, other] = offer.offeredTo === 'xiaowang' ? [wang, li] : [li, wang];
        expect((await other.call('POST', '/api/handoffs/desk-so-1/accept')).status).toBe(409);
        const accepted = await taker.call('POST', '/api/handoffs/desk-so-1/accept');
        expect(accepted.json).toMatchObject({ status: 'active', agent: offer.offeredTo, lastMessage: '我要找人工客服', owner: { name: '赵先生', room: '301' } });

        // Transfer to the colleague on the other instance, with a note; notes never reach the owner.
        const to = offer.offeredTo === 'xiaowang' ? 'xiaoli' : 'xiaowang';
        expect((await taker.call('POST', '/api/handoffs/desk-so-1/transfer', { to, note: '业主赶时间' })).json).toMatchObject({ agent: to });
        const toFeed = to === 'xiaowang' ? wangFeed : liFeed;
        await eventually(() => toFeed.events.some((e) => e.type === 'handoff.transferred' && e.data.to === to && e.data.note === '业主赶时间'), 5000);
        expect((await other.call('POST', '/api/handoffs/desk-so-1/notes', { text: '已约下午维修' })).status).toBe(201);
        await eventually(() => about(toFeed, 'handoff.note', 'desk-so-1').length >= 1 && JSON.stringify(toFeed.events).includes('已约下午维修'), 5000);
        expect((await other.call('POST', '/api/tickets', { kind: 'repair', category: 'facility', conversationId: 'desk-so-1', description: '卫生间漏水' })).status).toBe(201);
        expect(JSON.stringify(channel.to('desk-so-1'))).not.toMatch(/业主赶时间|已约下午维修/);

        // Both agents are at capacity (1): an emergency on instance B waits, is escalated on both consoles, stays queued.
        const gas = { conversationId: 'desk-so-gas', userId: 'owner-so-gas', channelId: 'webchat', serviceUrl: channel.url };
        const startedAt = Date.now();
        await say(b.url, '厨房煤气泄漏了，味道很大', gas);
        await eventually(() => about(wangFeed, 'handoff.escalated', 'desk-so-gas').length === 1 && about(liFeed, 'handoff.escalated', 'desk-so-gas').length === 1, 8000);
        // Past the call-back timeout (10 s): still queued, escalated once, no call-back or complaint ticket, and the
        // owner heard the safety steps again.
        await new Promise((r) => setTimeout(r, Math.max(0, startedAt + 11_500 - Date.now())));
        const queue = (await boss.call('GET', '/api/handoffs?status=queued')).json.handoffs as { conversationId: string; escalatedAt: string | null; priority: number }[];
        expect(queue.find((h) => h.conversationId === 'desk-so-gas')).toMatchObject({ priority: 1, escalatedAt: expect.any(String) });
        expect(about(wangFeed, 'handoff.escalated', 'desk-so-gas')).toHaveLength(1);
        const tickets = (await boss.call('GET', '/api/tickets?limit=200')).json.tickets as { conversationId: string; kind: string }[];
        expect(tickets.filter((t) => t.conversationId === 'desk-so-gas').map((t) => t.kind)).toEqual(['emergency']);
        expect(channel.to('desk-so-gas').filter((d) => d.text?.startsWith('值班同事马上就到')).length).toBeGreaterThanOrEqual(2);
        expect(a.output().stdout + b.output().stdout).toMatch(/"level":40[^\n]*urgent handoff not accepted in time/);

        wangFeed.close();
        liFeed.close();
    }, 40_000);
});
