import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentApi, eventually } from '../helpers/agentApi';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
let server: TestServer;
let agent: AgentApi;
let log = '';

beforeAll(async () => {
    const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
            log += chunk.toString();
            done();
        },
    });
    server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, LOG_LEVEL: 'trace', MAX_MESSAGE_CHARS: '300' }, {}, sink);
    agent = new AgentApi(server.url, TOKEN);
});
afterAll(async () => {
    await server.close();
});

/** The log lines of one conversation, parsed. */
function linesOf(conversationId: string): Record<string, unknown>[] {
    return log
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => JSON.stringify(l).includes(conversationId));
}

/** Hands the conversation to the agents' queue, so its stored transcript can be read through the agent API. */
async function storedTranscript(conversationId: string): Promise<{ from: string; text?: string; event?: string }[]> {
    await say(server.url, '我要找人工客服', { conversationId });
    const res = await agent.call('GET', `/api/handoffs/${conversationId}/transcript`);
    expect(res.status).toBe(200);
    return res.json.entries as { from: string; text?: string; event?: string }[];
}

describe('personal data in the log', () => {
    it('masks a phone number typed in full-width digits, as the log line of the turn shows it', async () => {
        const conversationId = 'pii-full-width';
        const turn = await say(server.url, '我的电话是１３９８７６５４３２１，麻烦回个电话', { conversationId });
        expect(texts(turn).length).toBeGreaterThan(0);
        await eventually(() => linesOf(conversationId).some((l) => l.msg === 'turn'));
        const logged = JSON.stringify(linesOf(conversationId));
        expect(logged).toContain('139****4321');
        // Neither the whole number nor its hidden digits, in either width.
        expect(logged).not.toMatch(/8765|８７６５|13987654321|１３９８７６５４３２１/);
        // Agents still read it as said (the contract: they see contact details in full).
        expect(JSON.stringify(await storedTranscript(conversationId))).toContain('１３９８７６５４３２１');
        expect(log).not.toMatch(/8765|８７６５/);
    });
});

describe('a message refused as too long', () => {
    it('is answered, logged as its length only, and stored as a marker without its words', async () => {
        const conversationId = 'pii-too-long';
        const words = '楼上漏水ZQXW电话13812345678'.repeat(20);
        const turn = await say(server.url, words, { conversationId });
        expect(texts(turn).join('')).toMatch(/长/);
        await eventually(() => linesOf(conversationId).some((l) => l.msg === 'turn'));
        const refused = linesOf(conversationId).find((l) => l.msg === 'message refused: too long');
        expect(refused).toMatchObject({ chars: [...words].length, conversationId });
        const entries = await storedTranscript(conversationId);
        expect(entries[0]).toEqual({ at: expect.any(String), from: 'owner', event: 'message.too_long' });
        expect(JSON.stringify(entries)).not.toContain('ZQXW');
        // Nor in the agents' queue, which quotes the last lines.
        const queue = await agent.call('GET', '/api/handoffs?status=queued');
        expect(JSON.stringify(queue.json)).not.toContain('ZQXW');
        expect(log).not.toContain('ZQXW');
        expect(log).not.toContain('楼上漏水');
    });
});
