import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentApi, eventually } from '../helpers/agentApi';
import { fileComplaint } from '../helpers/fileComplaint';
import { StandInChannel } from '../helpers/standInChannel';
import { nlu, say, startTestServer, texts, type TestServer } from '../helpers/testServer';

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-0123456789';
const channel = new StandInChannel();
let now = new Date('2026-11-24T02:00:00Z');
let server: TestServer;
let alice: AgentApi;
let bob: AgentApi;

beforeAll(async () => {
    await channel.start();
    server = await startTestServer({ AGENT_TOKENS: `alice:${ALICE},bob:${BOB}`, HANDOFF_ACCEPT_TIMEOUT_SECONDS: '120' }, { clock: () => now });
    alice = new AgentApi(server.url, ALICE);
    bob = new AgentApi(server.url, BOB);
});
afterAll(async () => {
    await server.close();
    await channel.stop();
});

describe('handoff to a person, on the embedded store', () => {
    it('goes owner → queue → agent accepts and answers on the owner\'s channel → released back to the bot', async () => {
        const owner = { conversationId: 'handoff-1', userId: 'owner-h1', channelId: 'webchat', serviceUrl: channel.url };
        const feed = await alice.feed();
        await say(server.url, '我家电话13812345678，物业费怎么交', owner);
        const asked = await say(server.url, '我要找人工客服', owner);
        const event = asked.activities.find((a) => a.name === 'handoff.initiate');
        expect(event?.value).toMatchObject({ reason: 'requested', ticketId: null, priority: 3 });
        expect(texts(asked).join('')).toMatch(/人工|同事/);
        expect(texts(asked).join('')).toMatch(/\d+分钟/);

        // The queue, as an agent sees it.
        expect((await fetch(`${server.url}/api/handoffs`)).status).toBe(401);
        const queue = await alice.call('GET', '/api/handoffs?status=queued');
        expect(queue.status).toBe(200);
        const entry = (queue.json.handoffs as Record<string, unknown>[]).find((h) => h.conversationId === 'handoff-1');
        expect(entry).toMatchObject({ reason: 'requested', ownerId: 'owner-h1', ticketId: null, status: 'queued', persona: 'default', emotion: 'calm' });
        expect(entry?.since).toBe(now.toISOString());
        expect(JSON.stringify(entry?.lastMessages)).toContain('我要找人工客服');
        expect(entry?.reference).toBeUndefined();
        await eventually(() => feed.events.some((e) => e.type === 'queued'));

        // While it waits, the owner's words reach the agents' feed and the bot still answers.
        const waiting = await say(server.url, '我家住3号楼', owner);
        expect(texts(waiting).length).toBeGreaterThan(0);
        await eventually(() => feed.events.some((e) => e.type === 'message' && JSON.stringify(e.data).includes('我家住3号楼')));

        // Alice accepts; Bob is too late.
        expect((await alice.call('POST', '/api/handoffs/handoff-1/accept')).json).toMatchObject({ status: 'active', agent: 'alice' });
        expect((await bob.call('POST', '/api/handoffs/handoff-1/accept')).status).toBe(409);
        const toOwner = channel.to('handoff-1');
        expect(toOwner.some((d) => d.type === 'event' && d.name === 'handoff.status' && JSON.stringify(d.value).includes('accepted'))).toBe(true);
        expect(toOwner.some((d) => d.text?.includes('alice'))).toBe(true);

        // While Alice has it, the owner's words go to her and the bot says nothing.
        const meanwhile = await say(server.url, '电梯又坏了，快点派人', owner);
        expect(meanwhile.status).toBe(200);
        expect(texts(meanwhile)).toEqual([]);
        await eventually(() => feed.events.some((e) => e.type === 'message' && JSON.stringify(e.data).includes('电梯又坏了')));

        // Alice answers on the owner's channel; Bob may not speak in her conversation.
        expect((await alice.call('POST', '/api/handoffs/handoff-1/messages', { text: '您好，我马上安排电梯师傅过去' })).status).toBe(200);
        expect(channel.to('handoff-1').some((d) => d.text === 'alice：您好，我马上安排电梯师傅过去')).toBe(true);
        expect((await bob.call('POST', '/api/handoffs/handoff-1/messages', { text: '我也来' })).status).toBe(409);
        expect((await alice.call('POST', '/api/handoffs/handoff-1/messages', { text: '' })).status).toBe(400);

        // The whole conversation, bot and agent turns alike, with the agent's name on her lines and actions.
        const transcript = await alice.call('GET', '/api/handoffs/handoff-1/transcript');
        const entries = transcript.json.entries as { from: string; agent?: string; text?: string; event?: string }[];
        expect(entries.map((e) => e.from)).toEqual(expect.arrayContaining(['owner', 'bot', 'agent', 'system']));
        expect(entries.filter((e) => e.from === 'agent').at(-1)).toMatchObject({ agent: 'alice', text: '您好，我马上安排电梯师傅过去' });
        expect(entries.find((e) => e.event === 'handoff.accepted')).toMatchObject({ agent: 'alice' });
        expect(entries.some((e) => e.from === 'owner' && e.text === '电梯又坏了，快点派人')).toBe(true);
        expect(entries[0]?.text).toContain('13812345678'); // agents see contact details in full

        // Released: the bot greets the owner back and answers again.
        expect((await alice.call('POST', '/api/handoffs/handoff-1/release')).json).toMatchObject({ status: 'closed', outcome: 'released' });
        expect(channel.to('handoff-1').some((d) => d.name === 'handoff.status' && JSON.stringify(d.value).includes('completed'))).toBe(true);
        expect(channel.to('handoff-1').at(-1)?.text).toMatch(/小邻/);
        const back = await say(server.url, '物业费怎么交', owner);
        expect(texts(back).join('')).toMatch(/缴|交/);
        await eventually(() => feed.events.some((e) => e.type === 'released'));
        feed.close();
    });

    it('tells the owner and writes a call-back ticket when nobody accepts in time', async () => {
        const owner = { conversationId: 'handoff-2', userId: 'owner-h2', channelId: 'webchat', serviceUrl: channel.url };
        await say(server.url, '转人工', owner);
        const rounds = server.linli.handoffTimeouts();
        expect(await rounds.tick()).toBe(0);
        now = new Date(now.getTime() + 121_000);
        expect(await rounds.tick()).toBe(1);
        const handoff = await server.linli.handoffs.get('handoff-2');
        expect(handoff).toMatchObject({ status: 'closed', outcome: 'timed_out' });
        const ticket = await server.linli.tickets.get(handoff?.ticketId ?? '');
        expect(ticket).toMatchObject({ conversationId: 'handoff-2', ownerId: 'owner-h2', request: expect.stringMatching(/回电/) });
        expect(channel.to('handoff-2').some((d) => d.text?.includes(ticket?.id ?? '?'))).toBe(true);
        expect((await alice.call('POST', '/api/handoffs/handoff-2/accept')).status).toBe(409);
    });

    it('queues an emergency with its ticket, most urgent first', async () => {
        const owner = { conversationId: 'handoff-3', userId: 'owner-h3', channelId: 'emulator', serviceUrl: channel.url };
        const turn = await say(server.url, '电梯里有人被困住了，快来人', owner);
        expect(nlu(turn)).toMatchObject({ escalationReason: 'emergency' });
        const handoff = await server.linli.handoffs.get('handoff-3');
        expect(handoff).toMatchObject({ status: 'queued', reason: 'emergency', priority: 1, ticketId: expect.stringMatching(/^TS-/) });
    });

    it('tells the agent when the owner\'s channel can not be reached, and records nothing as said', async () => {
        const owner = { conversationId: 'handoff-unreachable', userId: 'owner-h4', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1' };
        await say(server.url, '我要找人工客服', owner);
        expect((await alice.call('POST', '/api/handoffs/handoff-unreachable/accept')).json).toMatchObject({ status: 'active', ownerNotified: false });
        const sent = await alice.call('POST', '/api/handoffs/handoff-unreachable/messages', { text: '您好，请问还在吗' });
        expect(sent.status).toBe(502);
        expect(sent.json).toMatchObject({ error: 'owner_unreachable' });
        const entries = (await alice.call('GET', '/api/handoffs/handoff-unreachable/transcript')).json.entries as { text?: string }[];
        expect(entries.some((e) => e.text === '您好，请问还在吗')).toBe(false);
        expect((await alice.call('POST', '/api/handoffs/handoff-unreachable/release')).json).toMatchObject({ status: 'closed', ownerNotified: false });
    });

    it('links the conversation\'s open ticket to the handoff', async () => {
        const owner = { conversationId: 'handoff-ticket', userId: 'owner-h5', channelId: 'webchat', serviceUrl: channel.url };
        const ticketId = await fileComplaint(server.url, owner, '门口保安态度太差了，问他话爱答不理', '东门岗亭');
        const asked = await say(server.url, '我要找人工客服', owner);
        expect(asked.activities.find((a) => a.name === 'handoff.initiate')?.value).toMatchObject({ reason: 'requested', ticketId });
        expect(await server.linli.handoffs.get('handoff-ticket')).toMatchObject({ ticketId });
    });

    it('answers 404 for a conversation without a handoff', async () => {
        expect((await alice.call('POST', '/api/handoffs/nobody/accept')).status).toBe(404);
        expect((await alice.call('GET', '/api/handoffs/nobody/transcript')).status).toBe(404);
        expect((await alice.call('GET', '/api/handoffs?status=nonsense')).status).toBe(400);
    });
});

describe('agent API rate limit', () => {
    it('answers 429 past the limit, and never for the owners\' endpoint', async () => {
        const limited = await startTestServer({ AGENT_TOKENS: `alice:${ALICE}`, AGENT_API_RATE_PER_MINUTE: '3' });
        try {
            const api = new AgentApi(limited.url, ALICE);
            const statuses = [];
            for (let i = 0; i < 4; i++) statuses.push((await api.call('GET', '/api/handoffs')).status);
            expect(statuses).toEqual([200, 200, 200, 429]);
            expect((await say(limited.url, '您好', { conversationId: 'rl' })).status).toBe(200);
        } finally {
            await limited.close();
        }
    });
});

describe('staff tokens', () => {
    it('never reach the logs, whatever the request', async () => {
        let log = '';
        const sink = new Writable({
            write(chunk: Buffer, _encoding, done) {
                log += chunk.toString();
                done();
            },
        });
        const logged = await startTestServer({ AGENT_TOKENS: `alice:${ALICE}`, LOG_LEVEL: 'trace' }, {}, sink);
        try {
            const api = new AgentApi(logged.url, ALICE);
            const wrong = new AgentApi(logged.url, 'not-a-real-token-0123456789');
            await say(logged.url, '我要找人工客服', { conversationId: 'tokens', channelId: 'webchat', serviceUrl: channel.url });
            expect((await api.call('GET', '/api/handoffs')).status).toBe(200);
            expect((await api.call('POST', '/api/handoffs/tokens/accept')).status).toBe(200);
            expect((await api.call('POST', '/api/handoffs/tokens/messages', { text: '您好' })).status).toBe(200);
            expect((await api.call('POST', '/api/handoffs/nobody/accept')).status).toBe(404);
            expect((await wrong.call('GET', '/api/handoffs')).status).toBe(401);
            const malformed = await fetch(`${logged.url}/api/handoffs/tokens/messages`, {
                method: 'POST',
                headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
                body: '{"text":',
            });
            expect(malformed.status).toBe(400);
            expect(log.length).toBeGreaterThan(0);
            expect(log).not.toContain(ALICE);
            expect(log).not.toContain('not-a-real-token-0123456789');
        } finally {
            await logged.close();
        }
    });
});
