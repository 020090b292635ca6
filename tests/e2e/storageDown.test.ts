import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

// Nothing listens on port 1: this is Linli configured for Redis while Redis is down.
let server: TestServer;
beforeAll(async () => {
    server = await startTestServer({ REDIS_URL: 'redis://127.0.0.1:1' });
});
afterAll(async () => server.close());

describe('when the store does not answer', () => {
    it('readyz says 503 and healthz still says ok', async () => {
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ status: 'unavailable', store: 'redis' });
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it('tells the owner politely instead of dropping the turn', async () => {
        const started = Date.now();
        const turn = await say(server.url, '电梯坏了', { conversationId: 'down', channelId: 'webchat' });
        expect(turn.status).toBe(200);
        expect(texts(turn)).toHaveLength(1);
        expect(texts(turn)[0]).toMatch(/抱歉.*稍后再试/);
        expect(Date.now() - started).toBeLessThan(5000);
    });

    it('counts the failure in the metrics', async () => {
        const body = await (await fetch(`${server.url}/metrics`)).text();
        expect(body).toMatch(/linli_errors_total\{kind="storage"\} [1-9]/);
    });
});
