import { randomBytes } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dl, openConversation, SECRET, type OpenedConversation } from '../helpers/directLine';
import { startTestServer, type TestServer } from '../helpers/testServer';

let server: TestServer;
let c: OpenedConversation;

beforeAll(async () => {
    server = await startTestServer({ DIRECT_LINE_SECRET: SECRET, CHAT_TOKEN_RATE_PER_MINUTE: '10000' });
    c = await openConversation(server.url);
});
afterAll(async () => server.close());

/** Every web chat route that reads a JSON body, with its credential and a body it would accept. */
const bodyRoutes = () => [
    { path: '/v3/directline/tokens/generate', bearer: SECRET, body: { user: { id: 'fuzz-owner' } } },
    { path: '/v3/directline/tokens/refresh', bearer: c.token, body: {} },
    { path: '/v3/directline/conversations', bearer: c.token, body: {} },
    { path: `/v3/directline/conversations/${c.conversationId}/activities`, bearer: c.token, body: { type: 'message', text: '你好' } },
    { path: '/chat/token', bearer: '', body: {} },
];

async function send(path: string, bearer: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<number> {
    const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
        body: new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body),
    });
    await res.arrayBuffer();
    return res.status;
}

describe('web chat routes under hostile bodies', () => {
    it('take honest gzip and deflate, refuse a bomb (413), a broken stream (400) and an unknown encoding (415)', async () => {
        for (const route of bodyRoutes()) {
            const json = JSON.stringify(route.body);
            expect(await send(route.path, route.bearer, gzipSync(json), { 'content-encoding': 'gzip' }), route.path).toBe(200);
            expect(await send(route.path, route.bearer, deflateSync(json), { 'content-encoding': 'deflate' }), route.path).toBe(200);
            const bomb = gzipSync(JSON.stringify({ ...route.body, padding: ' '.repeat(8 * 1024 * 1024) }));
            expect(await send(route.path, route.bearer, bomb, { 'content-encoding': 'gzip' }), route.path).toBe(413);
            expect(await send(route.path, route.bearer, gzipSync(json).subarray(0, 12), { 'content-encoding': 'gzip' }), route.path).toBe(400);
            expect(await send(route.path, route.bearer, json, { 'content-encoding': 'br' }), route.path).toBe(415);
            expect(await send(route.path, route.bearer, json, { 'content-type': 'text/plain' }), route.path).toBe(415);
        }
        const upload = await fetch(`${server.url}/v3/directline/conversations/${c.conversationId}/upload`, {
            method: 'POST',
            headers: { authorization: `Bearer ${c.token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-encoding': 'gzip' },
            body: new Uint8Array(gzipSync('--x--')),
        });
        expect(upload.status).toBe(415);
    });

    it('answers every route 4xx, never 5xx, for a bounded run of random and malformed bodies, and stays up', async () => {
        const shapes: (() => string | Buffer)[] = [
            () => randomBytes(64),
            () => '{"type":',
            () => '[]',
            () => 'null',
            () => '"message"',
            () => JSON.stringify({ type: 42 }),
            () => JSON.stringify({ type: 'message', text: { nested: true } }),
            () => JSON.stringify({ type: 'message', channelData: 'x' }),
            () => JSON.stringify({ type: 'message', channelData: { clientActivityID: 'y'.repeat(500) } }),
            () => JSON.stringify({ user: { id: '../../etc/passwd' } }),
            () => JSON.stringify({ user: { id: 'x'.repeat(500) }, profile: { room: 'r'.repeat(100) } }),
            () => JSON.stringify({ conversationId: { $ne: null } }),
            () => '['.repeat(5000) + ']'.repeat(5000),
            () => JSON.stringify({ type: 'invoke', name: 'x' }),
            () => JSON.stringify({ __proto__: { polluted: true }, type: 'message' }),
        ];
        let requests = 0;
        for (const route of bodyRoutes()) {
            for (const shape of shapes) {
                const status = await send(route.path, route.bearer, shape());
                requests += 1;
                expect(status, `${route.path} ${status}`).toBeLessThan(500);
            }
        }
        const multipart = [
            'not multipart at all',
            '--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc',
            '--x\r\nContent-Disposition: form-data; name="activity"\r\n\r\n{not json\r\n--x--\r\n',
        ];
        for (const body of multipart) {
            const res = await fetch(`${server.url}/v3/directline/conversations/${c.conversationId}/upload`, {
                method: 'POST',
                headers: { authorization: `Bearer ${c.token}`, 'content-type': 'multipart/form-data; boundary=x' },
                body,
            });
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(res.status).toBeLessThan(500);
        }
        for (const path of ['/conversations/%00/activities', '/conversations/' + 'a'.repeat(5000) + '/activities', `/conversations/${c.conversationId}/activities?watermark=-1`, `/conversations/${c.conversationId}/activities?watermark=1e400`]) {
            expect((await dl(server.url, 'GET', path, c.token)).status).toBeLessThan(500);
        }
        expect(requests).toBe(bodyRoutes().length * shapes.length);
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });
});
