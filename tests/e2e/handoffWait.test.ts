import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentApi } from '../helpers/agentApi';
import { StandInChannel } from '../helpers/standInChannel';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

const TOKEN = 'wait-staff-token-0123456789';
const channel = new StandInChannel();
let server: TestServer;
let staff: AgentApi;

beforeAll(async () => {
    await channel.start();
    server = await startTestServer({ AGENT_TOKENS: `waitstaff:${TOKEN}`, HANDOFF_ACCEPT_TIMEOUT_SECONDS: '600' });
    staff = new AgentApi(server.url, TOKEN);
});
afterAll(async () => {
    await server.close();
    await channel.stop();
});

type Json = Record<string, unknown>;

async function queueEntry(conversationId: string): Promise<Json | undefined> {
    const queue = await staff.call('GET', '/api/handoffs?status=queued&limit=200');
    return (queue.json.handoffs as Json[]).find((h) => h.conversationId === conversationId);
}

describe('while a handoff waits in the queue', () => {
    it('tells understanding so, answers or acknowledges without a second handoff, and shows the agent every message', async () => {
        const owner = { conversationId: 'wait-1', userId: 'owner-w1', channelId: 'emulator', serviceUrl: channel.url };
        const asked = await say(server.url, '帮我转人工', owner);
        expect(asked.activities.filter((a) => a.name === 'handoff.initiate')).toHaveLength(1);

        const question = await say(server.url, '物业费能用支付宝交吗', owner);
        const trace = question.activities.find((a) => a.type === 'trace' && a.name === 'linli.nlu')?.value as Json;
        expect(trace.dialogState).toMatchObject({ handoffStatus: 'queued', openFlow: null, awaitedSlot: null });
        expect(texts(question).join('\n')).toContain('支付宝');
        expect(question.activities.filter((a) => a.name === 'handoff.initiate')).toHaveLength(0);

        const again = await say(server.url, '我要人工', owner);
        expect(again.activities.filter((a) => a.name === 'handoff.initiate')).toHaveLength(0);
        expect(texts(again)).toHaveLength(1);

        const aside = await say(server.url, '后天下午吧', owner);
        expect(texts(aside)).toHaveLength(1);

        const entry = await queueEntry('wait-1');
        // The summary the agent reads carries what the owner added while waiting; lastMessage is the owner's, not Linli's.
        expect(entry?.summary).toContain('物业费能用支付宝交吗');
        expect(entry?.summary).toContain('后天下午吧');
        expect(entry?.lastMessage).toBe('后天下午吧');
        const tickets = await staff.call('GET', '/api/tickets?limit=200');
        expect((tickets.json.tickets as Json[]).filter((t) => t.conversationId === 'wait-1')).toHaveLength(0);
    });

    it('still gives the safety steps for danger, and moves the waiting handoff up to the urgent tier', async () => {
        const owner = { conversationId: 'wait-2', userId: 'owner-w2', channelId: 'emulator', serviceUrl: channel.url };
        await say(server.url, '我要人工', owner);
        const danger = await say(server.url, '厨房煤气泄漏了，好大的味道', owner);
        const trace = danger.activities.find((a) => a.type === 'trace' && a.name === 'linli.nlu')?.value as Json;
        expect(trace).toMatchObject({ intent: 'emergency', escalate: true, dialogState: { handoffStatus: 'queued' } });
        expect(texts(danger).join('\n')).toMatch(/安全|119|阀/);
        expect(await queueEntry('wait-2')).toMatchObject({ priority: 1, reason: 'emergency' });
    });
});
