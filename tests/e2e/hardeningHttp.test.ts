import { request } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { Channels } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestServer, type TestServer } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
let server: TestServer;
let ticketId: string;

beforeAll(async () => {
    server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}` });
    ticketId = (
        await server.linli.tickets.create({
            kind: 'complaint',
            category: 'facility',
            channelId: 'webchat',
            conversationId: 'c-hardening',
            ownerId: 'owner-hardening',
            medium: 'chat',
            contact: { phone: '13812345678' },
            location: '5号楼',
            description: '电梯坏了',
            request: '修好',
            subject: null,
            department: null,
        })
    ).id;
});
afterAll(async () => server.close());

const activity = (extra: Record<string, unknown> = {}) => ({
    type: 'message',
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:1',
    deliveryMode: 'expectReplies',
    conversation: { id: 'hardening' },
    from: { id: 'owner-hardening', role: 'user' },
    recipient: { id: 'linli', role: 'bot' },
    text: '您好',
    ...extra,
});

/** Every route that reads a body, with a body it would accept. */
const bodyRoutes = () => [
    { method: 'POST', path: '/api/messages', body: activity() },
    { method: 'PATCH', path: `/api/tickets/${ticketId}`, body: { note: '已派工程部' } },
    { method: 'POST', path: '/api/reminders/payment', body: { channelId: 'webchat', conversationId: 'nobody', dueDate: '2026-12-31' } },
    { method: 'POST', path: '/api/handoffs/nobody/messages', body: { text: '您好' } },
];

async function send(
    method: string,
    path: string,
    body: Buffer | string,
    headers: Record<string, string> = {},
    url = server.url,
): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
        body: new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function alive(): Promise<void> {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await say(server.url, '您好', { conversationId: 'still-alive' })).status).toBe(200);
}

/**
 * Streams `total` bytes of one repeated chunk (so the client allocates nothing) until the server answers or closes.
 * Returns the status, how much was written by then, and the largest RSS growth seen meanwhile.
 */
function stream(path: string, headers: Record<string, string>, total: number): Promise<{ status: number | null; written: number; rssGrowth: number }> {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const start = process.memoryUsage().rss;
    let peak = start;
    return new Promise((resolve) => {
        let written = 0;
        let status: number | null = null;
        let done = false;
        const finish = () => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            req.destroy();
            resolve({ status, written, rssGrowth: peak - start });
        };
        const timer = setTimeout(finish, 15_000);
        const { port } = new URL(server.url);
        const req = request({ host: '127.0.0.1', port, method: 'PATCH', path, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
            status = res.statusCode ?? null;
            res.resume();
            res.on('end', finish);
        });
        req.on('error', finish);
        const pump = () => {
            while (!done && status === null && written < total) {
                written += chunk.length;
                peak = Math.max(peak, process.memoryUsage().rss);
                if (!req.write(chunk)) return void req.once('drain', pump);
            }
            if (written >= total && !done) req.end();
        };
        pump();
    });
}

describe('compressed bodies (items 1 and 2)', () => {
    it('refuses a body that lies about being gzip or deflate with 400 on every body route, and stays up', async () => {
        for (const route of bodyRoutes()) {
            for (const encoding of ['gzip', 'deflate']) {
                const res = await send(route.method, route.path, 'this is not compressed at all', { 'content-encoding': encoding });
                expect(res.status, `${encoding} ${route.path}`).toBe(400);
                expect(res.json).toMatchObject({ error: 'invalid_encoding', reason: expect.stringContaining(encoding) });
            }
            // Truncated gzip: a valid start, then nothing.
            const truncated = gzipSync(JSON.stringify(route.body)).subarray(0, 12);
            expect((await send(route.method, route.path, truncated, { 'content-encoding': 'gzip' })).status).toBe(400);
        }
        await alive();
    });

    it('refuses a gzip bomb (small on the wire, large inflated) with 413 on every body route', async () => {
        for (const route of bodyRoutes()) {
            const bomb = gzipSync(JSON.stringify({ ...route.body, padding: ' '.repeat(10 * 1024 * 1024) }));
            expect(bomb.length).toBeLessThan(20 * 1024);
            const res = await send(route.method, route.path, bomb, { 'content-encoding': 'gzip' });
            expect(res.status, route.path).toBe(413);
            expect(res.json.reason).toMatch(/decompression/);
            const deflated = deflateSync(JSON.stringify({ ...route.body, padding: ' '.repeat(10 * 1024 * 1024) }));
            expect((await send(route.method, route.path, deflated, { 'content-encoding': 'deflate' })).status).toBe(413);
        }
        await alive();
    });

    it('still reads honest gzip and deflate bodies, and refuses unknown encodings with 415', async () => {
        const body = JSON.stringify(activity({ conversation: { id: 'gzip-ok' } }));
        expect((await send('POST', '/api/messages', gzipSync(body), { 'content-encoding': 'gzip' })).status).toBe(200);
        expect((await send('POST', '/api/messages', deflateSync(body), { 'content-encoding': 'deflate' })).status).toBe(200);
        const patched = await send('PATCH', `/api/tickets/${ticketId}`, gzipSync(JSON.stringify({ note: '压缩的备注' })), { 'content-encoding': 'gzip' });
        expect(patched.status).toBe(200);
        const unknown = await send('POST', '/api/messages', body, { 'content-encoding': 'br' });
        expect(unknown.status).toBe(415);
        expect(unknown.json.error).toBe('unsupported_encoding');
    });
});

describe('staff bodies (item 3)', () => {
    it('answers 401 to an unauthenticated 300 MB body from its headers, before the body is sent', async () => {
        const result = await stream(`/api/tickets/${ticketId}`, { 'content-length': String(300 * 1024 * 1024) }, 300 * 1024 * 1024);
        expect(result.status).toBe(401);
        expect(result.written).toBeLessThan(20 * 1024 * 1024);
        await alive();
    });

    it('answers 401 to an unauthenticated streamed (chunked) 20 MB body without holding it in memory', async () => {
        const result = await stream(`/api/tickets/${ticketId}`, { authorization: 'Bearer wrong-token-0123456789' }, 20 * 1024 * 1024);
        expect(result.status).toBe(401);
        expect(result.rssGrowth).toBeLessThan(15 * 1024 * 1024);
    });

    it('caps authenticated staff bodies: 413 past 64 KiB, declared or streamed', async () => {
        const big = await send('PATCH', `/api/tickets/${ticketId}`, JSON.stringify({ note: 'x'.repeat(100 * 1024) }));
        expect(big.status).toBe(413);
        expect(big.json.error).toBe('payload_too_large');
        const streamed = await stream(`/api/tickets/${ticketId}`, { authorization: `Bearer ${TOKEN}` }, 20 * 1024 * 1024);
        expect(streamed.status).toBe(413);
        expect(streamed.rssGrowth).toBeLessThan(15 * 1024 * 1024);
        await alive();
    });

    it('keeps 400 for bad JSON and 415 for another content type on staff routes', async () => {
        const bad = await send('PATCH', `/api/tickets/${ticketId}`, '{"note":');
        expect(bad.status).toBe(400);
        expect(bad.json.reason).toMatch(/JSON/);
        expect((await send('PATCH', `/api/tickets/${ticketId}`, 'note=hi', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    });
});

describe('metrics labels (item 10)', () => {
    it('keeps the channel label to known channels, whatever channelIds clients send', async () => {
        const channelLabels = (text: string) => new Set([...text.matchAll(/^linli_turns_total\{[^}]*channel="([^"]*)"/gm)].map((m) => m[1]));
        const before = await (await fetch(`${server.url}/metrics`)).text();
        for (let i = 0; i < 150; i++) {
            const channelId = `attacker-${i}-${Math.random().toString(36).slice(2)}`;
            expect((await say(server.url, '您好', { conversationId: `metrics-${i}`, channelId })).status).toBe(200);
        }
        const after = await (await fetch(`${server.url}/metrics`)).text();
        const allowed = new Set<string>([...Object.values(Channels), 'wechat', 'other', 'unknown']);
        const labels = channelLabels(after);
        expect(labels.has('other')).toBe(true);
        for (const label of labels) expect(allowed.has(label ?? ''), `label ${label}`).toBe(true);
        // One new series at most (other), not one per request.
        expect(after.length - before.length).toBeLessThan(4000);
    });
});

describe('staff rate limit (item 11)', () => {
    const get = (url: string, headers: Record<string, string>) => fetch(`${url}/api/staff/me`, { headers }).then((r) => r.status);

    it('counts one token as one bucket however its header is spelt', async () => {
        const limited = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, AGENT_API_RATE_PER_MINUTE: '4' });
        try {
            const variants = [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer    ${TOKEN}`, `bEaReR\t${TOKEN}`, `  Bearer ${TOKEN}  `];
            const statuses = [];
            for (const authorization of variants) statuses.push(await get(limited.url, { authorization }));
            expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
        } finally {
            await limited.close();
        }
    });

    it('counts wrong and missing tokens against the address, and a valid token keeps its own bucket', async () => {
        const limited = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, AGENT_API_RATE_PER_MINUTE: '20' });
        try {
            const statuses = [];
            for (let i = 0; i < 30; i++) {
                const headers: Record<string, string> = i % 3 === 0 ? {} : { authorization: `Bearer guess-${i}-${Math.random().toString(36)}` };
                statuses.push(await get(limited.url, headers));
            }
            expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
            expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
            // Past the limit, a body is refused as quickly as any other request.
            expect((await send('PATCH', '/api/tickets/x', 'x'.repeat(1000), { authorization: 'Bearer nope-0123456789abcdef' }, limited.url)).status).toBe(429);
            expect(await get(limited.url, { authorization: `Bearer ${TOKEN}` })).toBe(200);
        } finally {
            await limited.close();
        }
    });

    it('reads X-Forwarded-For only with TRUST_PROXY, and then its right-most entry', async () => {
        const guess = (url: string, forwardedFor: string) => get(url, { authorization: 'Bearer guess-0123456789abcdef', 'x-forwarded-for': forwardedFor });
        const direct = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, AGENT_API_RATE_PER_MINUTE: '3' });
        const proxied = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, AGENT_API_RATE_PER_MINUTE: '3', TRUST_PROXY: 'true' });
        try {
            // Off: the header is the client's own claim and is ignored; every request is 127.0.0.1.
            const off = [];
            for (let i = 0; i < 5; i++) off.push(await guess(direct.url, `203.0.113.${i}`));
            expect(off).toEqual([401, 401, 401, 429, 429]);

            // On: the proxy's entry (right-most) is the client; what the client put to its left changes nothing.
            const on = [];
            for (let i = 0; i < 5; i++) on.push(await guess(proxied.url, `198.51.100.${i}, 203.0.113.7`));
            expect(on).toEqual([401, 401, 401, 429, 429]);
            expect(await guess(proxied.url, '203.0.113.8')).toBe(401);
            expect(await guess(proxied.url, '198.51.100.1, ::ffff:203.0.113.7')).toBe(429);
        } finally {
            await direct.close();
            await proxied.close();
        }
    });
});
