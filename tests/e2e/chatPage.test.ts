import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, isBotMessage, openConversation, post, SECRET } from '../helpers/directLine';
import { startTestServer, type TestServer } from '../helpers/testServer';

const ESTATE = 'https://estate.example.com';
/** The package's entry point is lib/index.js; its browser bundle sits in dist/ beside lib/. */
const INSTALLED_BUNDLE = join(dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
let server: TestServer;

beforeAll(async () => {
    server = await startTestServer({ DIRECT_LINE_SECRET: SECRET, CHAT_ALLOWED_ORIGINS: ESTATE });
});
afterAll(async () => server.close());

async function page(): Promise<{ res: Response; html: string; csp: string }> {
    const res = await fetch(`${server.url}/chat`);
    return { res, html: await res.text(), csp: res.headers.get('content-security-policy') ?? '' };
}

describe('the owner page /chat', () => {
    it('is Linli\'s page under a strict CSP: its own scripts only, styles by a fresh nonce, framed by Linli and the estate only', async () => {
        const first = await page();
        expect(first.res.status).toBe(200);
        expect(first.res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(first.html).toMatch(/<html lang="zh-CN">/);
        expect(first.html).toMatch(/<script src="\/chat\/webchat-\d+\.\d+\.\d+\.js"/);
        expect(first.html).toContain('src="/chat/chat.js"');
        // The page's sentences come from the phrasebook, filled in by the server.
        expect(first.html).not.toMatch(/\{\{/);
        expect(first.html).toContain(server.linli.phrases.say('web_chat_large_text_offer'));
        expect(first.csp).toMatch(/(^|; )script-src 'self'(;|$)/);
        expect(first.csp).toMatch(/(^|; )default-src 'none'(;|$)/);
        expect(first.csp).not.toContain('unsafe');
        expect(first.csp).toContain(`frame-ancestors 'self' ${ESTATE}`);
        const nonce = /'nonce-([^']+)'/.exec(first.csp)?.[1];
        expect(nonce).toBeTruthy();
        expect(first.html).toContain(`<meta name="linli-style-nonce" content="${nonce}">`);
        expect(first.res.headers.get('cache-control')).toBe('no-store');
        // A nonce is good for one response only.
        expect((await page()).csp).not.toContain(`'nonce-${nonce}'`);
    });

    it('serves the stock Web Chat bundle from the installed package, cached for a year, gzipped when asked', async () => {
        const { html } = await page();
        const path = /<script src="(\/chat\/webchat-[^"]+\.js)"/.exec(html)?.[1] ?? '';
        const plain = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
        expect(plain.status).toBe(200);
        expect(plain.headers.get('content-type')).toMatch(/^text\/javascript/);
        expect(plain.headers.get('cache-control')).toContain('immutable');
        const bundle = Buffer.from(await plain.arrayBuffer());
        // Byte for byte the installed package's dist/webchat.js (compared as a boolean: the bundle is 4 MB).
        expect(bundle.equals(readFileSync(INSTALLED_BUNDLE))).toBe(true);
        // Compression finishes shortly after start-up; until then the plain bundle is served.
        await expect.poll(async () => (await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding'), { timeout: 5000 }).toBe('gzip');
        const zipped = await new Promise<Buffer>((resolve, reject) => {
            // fetch decompresses by itself; a raw request shows what went over the wire.
            import('node:http').then(({ get }) => get(`${server.url}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
                const parts: Buffer[] = [];
                res.on('data', (part: Buffer) => parts.push(part));
                res.on('end', () => resolve(Buffer.concat(parts)));
            }).on('error', reject), reject);
        });
        expect(zipped.length).toBeLessThan(bundle.length / 2);
        expect(gunzipSync(zipped).equals(bundle)).toBe(true);
        const script = await fetch(`${server.url}/chat/chat.js`);
        expect(script.status).toBe(200);
        expect(await script.text()).toContain('/chat/token');
        expect((await fetch(`${server.url}/chat/chat.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    });

    it('Linli\'s replies on the web channel say who it thinks it is talking to (channelData.linli.persona)', async () => {
        const c = await openConversation(server.url);
        expect((await post(server.url, c, { type: 'message', text: '我年纪大了，不会用手机，物业费在哪交' })).status).toBe(200);
        let replies: Awaited<ReturnType<typeof activities>>['activities'] = [];
        await expect
            .poll(async () => {
                const all = (await activities(server.url, c)).activities;
                const asked = all.findIndex((a) => a.type === 'message' && a.from?.role === 'user');
                replies = all.slice(asked + 1).filter(isBotMessage);
                return replies.length;
            }, { timeout: 5000 })
            .toBeGreaterThan(0);
        for (const reply of replies) expect((reply.channelData as { linli?: { persona?: string } } | undefined)?.linli?.persona).toBe('elderly');
    });
});

describe('without DIRECT_LINE_SECRET', () => {
    it('/chat still says web chat is not set up, and serves no page', async () => {
        const off = await startTestServer();
        try {
            const res = await fetch(`${off.url}/chat`);
            expect(res.status).toBe(404);
            expect(await res.text()).toContain(off.linli.phrases.say('web_chat_not_set_up'));
            expect((await fetch(`${off.url}/chat/chat.js`)).status).toBe(404);
        } finally {
            await off.close();
        }
    });
});
