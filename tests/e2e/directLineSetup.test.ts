import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dl, openConversation, post, SECRET, upgradeStatus } from '../helpers/directLine';
import { FailingConversationLog } from '../helpers/FailingConversationLog';
import { startTestServer, type TestServer } from '../helpers/testServer';

describe('without DIRECT_LINE_SECRET', () => {
    let server: TestServer;
    const logs: string[] = [];
    beforeAll(async () => {
        const out = new PassThrough();
        out.on('data', (line: Buffer) => logs.push(String(line)));
        server = await startTestServer({ LOG_LEVEL: 'info' }, {}, out);
    });
    afterAll(async () => server.close());

    it('answers 404 under /v3/directline, says on /chat that web chat is not set up, and logs one line at start-up', async () => {
        for (const [method, path] of [['POST', '/tokens/generate'], ['POST', '/conversations'], ['GET', '/conversations/x/activities']] as const) {
            expect((await dl(server.url, method, path, SECRET, method === 'POST' ? {} : undefined)).status).toBe(404);
        }
        const page = await fetch(`${server.url}/chat`);
        expect(page.status).toBe(404);
        expect(await page.text()).toContain('网页客服暂未开通');
        expect(logs.filter((l) => l.includes('DIRECT_LINE_SECRET'))).toHaveLength(1);
        expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/v3/directline/conversations/x/stream?t=a.b`)).not.toBe(101);
    });

    it('refuses a secret shorter than 32 characters at start-up', async () => {
        await expect(startTestServer({ DIRECT_LINE_SECRET: 'too-short' })).rejects.toThrow(/DIRECT_LINE_SECRET/);
    });
});

describe('while the store is down', () => {
    let server: TestServer;
    let log: FailingConversationLog;
    beforeAll(async () => {
        log = new FailingConversationLog(':memory:', 3600);
        server = await startTestServer({ DIRECT_LINE_SECRET: SECRET }, { conversationLog: log });
    });
    afterAll(async () => server.close());

    it('answers 503 with Retry-After, and serves again once it is back', async () => {
        const c = await openConversation(server.url);
        log.down = true;
        for (const reply of [
            await post(server.url, c, { type: 'message', text: '你好' }),
            await dl(server.url, 'GET', `/conversations/${c.conversationId}/activities`, c.token),
            await dl(server.url, 'POST', '/tokens/generate', SECRET, {}),
        ]) {
            expect(reply.status).toBe(503);
            expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
        }
        // The stream's replay is read before the handshake: refused with 503, not opened and then closed.
        expect(await upgradeStatus(c.streamUrl)).toBe(503);
        log.down = false;
        expect(await upgradeStatus(c.streamUrl)).toBe(101);
        expect((await post(server.url, c, { type: 'message', text: '你好' })).status).toBe(200);
    });
});
