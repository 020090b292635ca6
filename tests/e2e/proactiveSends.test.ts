import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentApi } from '../helpers/agentApi';
import { fileComplaint } from '../helpers/fileComplaint';
import { SilentChannel } from '../helpers/silentChannel';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

// Staff actions reach the owner proactively (continueConversation). An owner whose channel does not answer, or who
// has no address Linli may send to, must not hold up the staff member for long, nor hold the conversation's turn
// lock: the owner's own next message is answered as usual meanwhile.
const ALICE = 'alice-token-0123456789';
const silent = new SilentChannel();
let server: TestServer;
let alice: AgentApi;

beforeAll(async () => {
    await silent.start();
    server = await startTestServer({ AGENT_TOKENS: `alice:${ALICE}` });
    alice = new AgentApi(server.url, ALICE);
});
afterAll(async () => {
    await server.close();
    await silent.stop();
});

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const started = Date.now();
    const value = await work();
    return { value, ms: Date.now() - started };
}

/** An owner who asks for a person, and an agent who accepts: the agent then speaks on the owner's channel. */
async function handedOver(owner: { conversationId: string; userId: string; channelId: string; serviceUrl?: string }) {
    expect((await say(server.url, '我要找人工客服', owner)).status).toBe(200);
    return timed(() => alice.call('POST', `/api/handoffs/${owner.conversationId}/accept`));
}

describe('proactive sends to an owner who can not be reached', () => {
    it('a channel that never answers: the agent hears owner_unreachable within the send deadline, and the owner is answered meanwhile', async () => {
        const owner = { conversationId: 'silent-1', userId: 'owner-silent', channelId: 'webchat', serviceUrl: silent.url };
        const accepted = await handedOver(owner);
        expect(accepted.value.status).toBe(200);
        expect(accepted.value.json.ownerNotified).toBe(false);
        expect(accepted.ms).toBeLessThan(4500); // CHANNEL_SEND_TIMEOUT_MS is 3 s by default

        const message = timed(() => alice.call('POST', '/api/handoffs/silent-1/messages', { text: '您好，我是客服小王' }));
        await new Promise((resolve) => setTimeout(resolve, 100));
        // While the agent's words wait on the silent channel, the owner's own turn goes through the lock as usual.
        const ownerTurn = await timed(() => say(server.url, '还在吗', owner));
        expect(ownerTurn.value.status).toBe(200);
        expect(ownerTurn.ms).toBeLessThan(1500);
        const sent = await message;
        expect(sent.value.status).toBe(502);
        expect(sent.value.json.error).toBe('owner_unreachable');
        expect(sent.ms).toBeLessThan(4500);
        expect(silent.requests).toBeGreaterThan(0);
        // Nothing is recorded as said.
        const transcript = await alice.call('GET', '/api/handoffs/silent-1/transcript');
        expect(JSON.stringify(transcript.json.entries)).not.toContain('我是客服小王');
    });

    it('no serviceUrl on record (an expectReplies owner): accept, message and release fail at once', async () => {
        const owner = { conversationId: 'no-address-1', userId: 'owner-no-address', channelId: 'emulator' };
        // say() names a serviceUrl unless told otherwise: this owner speaks without one.
        const res = await fetch(`${server.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: owner.conversationId }, from: { id: owner.userId }, recipient: { id: 'linli' }, text: '我要找人工客服' }),
        });
        expect(res.status).toBe(200);
        const accepted = await timed(() => alice.call('POST', '/api/handoffs/no-address-1/accept'));
        expect(accepted.value.json).toMatchObject({ status: 'active', ownerNotified: false });
        expect(accepted.ms).toBeLessThan(500);
        const sent = await timed(() => alice.call('POST', '/api/handoffs/no-address-1/messages', { text: '您好' }));
        expect(sent.value.status).toBe(502);
        expect(sent.value.json.error).toBe('owner_unreachable');
        expect(sent.ms).toBeLessThan(500);
        const released = await timed(() => alice.call('POST', '/api/handoffs/no-address-1/release'));
        expect(released.value.json).toMatchObject({ status: 'closed', ownerNotified: false });
        expect(released.ms).toBeLessThan(500);
        // The owner still talks to the bot.
        expect(texts(await say(server.url, '物业费怎么交', { ...owner, serviceUrl: 'http://127.0.0.1:1' })).length).toBeGreaterThan(0);
    });

    it('a payment reminder to an address off SERVICE_URL_ALLOWLIST fails at once, now or scheduled', async () => {
        const strict = await startTestServer({ AGENT_TOKENS: `alice:${ALICE}`, SERVICE_URL_ALLOWLIST: '127.0.0.1' });
        try {
            const staff = new AgentApi(strict.url, ALICE);
            // An address on record from before the list was narrowed (written directly: the endpoint would refuse it now).
            await strict.linli.storage.write({
                'references/webchat/off-list-1': {
                    reference: { channelId: 'webchat', serviceUrl: 'https://evil.example.com/', conversation: { id: 'off-list-1' }, user: { id: 'o' }, bot: { id: 'linli' } },
                    eTag: '*',
                },
            });
            const now = await timed(() => staff.call('POST', '/api/reminders/payment', { channelId: 'webchat', conversationId: 'off-list-1', dueDate: '2026-12-30' }));
            expect(now.value.status).toBe(502);
            expect(now.value.json.error).toBe('owner_unreachable');
            expect(now.ms).toBeLessThan(500);
            const later = await staff.call('POST', '/api/reminders/payment', { channelId: 'webchat', conversationId: 'off-list-1', dueDate: '2026-12-30', remindAt: '2026-12-27T10:00:00+08:00' });
            expect(later.status).toBe(502);
        } finally {
            await strict.close();
        }
    });

    it('a follow-up visit whose question does not arrive is taken back and asked again later; one with no address is left to staff at once', async () => {
        let now = new Date('2026-11-24T02:00:00Z');
        const clocked = await startTestServer({}, { clock: () => now });
        try {
            const owner = { conversationId: 'follow-silent', userId: 'owner-follow-silent', channelId: 'webchat', serviceUrl: silent.url };
            const ticketId = await fileComplaint(clocked.url, owner, '楼道的灯坏了好几天没人修', '4号楼');
            await clocked.linli.tickets.update(ticketId, { status: 'in_progress' }, 'alice');
            await clocked.linli.tickets.update(ticketId, { status: 'replied' }, 'alice');
            now = new Date(Date.parse((await clocked.linli.tickets.get(ticketId))!.followUp.dueAt!) + 60_000);
            const scheduler = clocked.linli.followUps(clocked.adapter);
            const round = await timed(() => scheduler.tick());
            expect(round.value).toBe(0);
            expect(round.ms).toBeLessThan(4500);
            // The owner was never asked, so what they say next is not taken as the answer to the visit...
            const next = await say(clocked.url, '物业费怎么交', owner);
            expect(texts(next).length).toBeGreaterThan(0);
            expect(texts(next).join('')).not.toMatch(/解决了吗|打个分|1到5/);
            // ...and the visit is still due: the next round tries again (not "owner busy with a flow").
            expect((await clocked.linli.tickets.get(ticketId))?.followUp.askedAt ?? null).toBeNull();

            // An address off the list: nothing is tried, the visit is left to staff (marked), at once.
            await clocked.linli.storage.write({
                [`references/webchat/follow-silent`]: {
                    reference: { channelId: 'webchat', serviceUrl: 'https://evil.example.com/', conversation: { id: 'follow-silent' }, user: { id: owner.userId }, bot: { id: 'linli' } },
                    eTag: '*',
                },
            });
            const requestsBefore = silent.requests;
            const refused = await timed(() => scheduler.tick());
            expect(refused.value).toBe(0);
            expect(refused.ms).toBeLessThan(500);
            expect(silent.requests).toBe(requestsBefore);
            expect((await clocked.linli.tickets.get(ticketId))?.followUp.askedAt).toBeTruthy();
        } finally {
            await clocked.close();
        }
    });
});
