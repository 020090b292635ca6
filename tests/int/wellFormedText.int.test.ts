import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { testRedis } from '../helpers/redis';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

// Half a surrogate pair is valid in a JSON string ("\ud800") but no character, and Redis's JSON decoder refuses it:
// before bodies were made well-formed, such a ticket note failed every write as if the store were down (a 503).
const { redis, prefix } = await testRedis();
const TOKEN = 'surrogate-token-0123456789';
const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
let server: TestServer;

describe.skipIf(!redis)('text holding half a surrogate pair, on Redis', () => {
    beforeAll(async () => {
        server = await startTestServer({ REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix, AGENT_TOKENS: `alice:${TOKEN}` });
    });
    afterAll(async () => server?.close());

    it('is read and stored with U+FFFD in its place: the owner is answered and the agent’s note is kept', async () => {
        const owner = { conversationId: 'lone-surrogate', userId: 'owner-lone-surrogate' };
        const turn = await say(server.url, `楼道里着火了${LONE_HIGH}，好多烟`, owner);
        expect(turn.status).toBe(200);
        const reply = texts(turn).join('');
        expect(reply).not.toMatch(/暂时|稍后再试/);
        const ticketId = (await server.linli.tickets.list({}, 1))[0]?.id;
        expect(ticketId).toBeTruthy();

        const note = `已派人${LONE_LOW}到场`;
        // JSON.stringify writes a lone surrogate as its escape, as a client may send it.
        expect(JSON.stringify(note)).toContain('\\udc00');
        const patched = await fetch(`${server.url}/api/tickets/${ticketId}`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ note }),
        });
        expect(patched.status).toBe(200);
        const stored = await server.linli.tickets.get(ticketId!);
        expect(stored?.history.map((h) => h.note ?? '').join('')).toContain('已派人\ufffd到场');
    });
});
