import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedStart, spawnLinli } from '../helpers/spawnLinli';
import { StandInChannel } from '../helpers/standInChannel';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

// With no app id the endpoint is open: the serviceUrl an activity names is where Linli would POST its replies.
// Only hosts in SERVICE_URL_ALLOWLIST are taken; anything else is refused before the adapter runs, with nothing sent.
const channel = new StandInChannel();
let server: TestServer;

beforeAll(async () => {
    await channel.start();
    server = await startTestServer({ SERVICE_URL_ALLOWLIST: '127.0.0.1,*.botframework.com' });
});
afterAll(async () => {
    await server.close();
    await channel.stop();
});

async function post(activity: Record<string, unknown>): Promise<{ status: number; json: { error?: string; reason?: string }; ms: number }> {
    const started = Date.now();
    const res = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', channelId: 'webchat', from: { id: 'owner-ssrf' }, recipient: { id: 'linli' }, text: '您好', ...activity }),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as { error?: string; reason?: string }, ms: Date.now() - started };
}

describe('SERVICE_URL_ALLOWLIST', () => {
    it('refuses a serviceUrl outside it with 400 and a reason, at once, and sends nothing there', async () => {
        // The same stand-in, named by a host that is not on the list: a request reaching it would be recorded.
        const elsewhere = channel.url.replace('127.0.0.1', 'localhost');
        for (const serviceUrl of [elsewhere, 'http://169.254.169.254/latest/meta-data/', 'https://evil.example.com/', 'https://botframework.com.evil.example/', 'file:///etc/passwd', 'not a url']) {
            const refused = await post({ conversation: { id: 'ssrf-1' }, serviceUrl });
            expect(refused.status, serviceUrl).toBe(400);
            expect(refused.json.error).toBe('service_url_not_allowed');
            expect(refused.json.reason).toBeTruthy();
            expect(refused.ms).toBeLessThan(1000);
        }
        // expectReplies is refused too when it names a host off the list: the turn could still send (proactively, later).
        expect((await post({ conversation: { id: 'ssrf-2' }, serviceUrl: elsewhere, deliveryMode: 'expectReplies' })).status).toBe(400);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(channel.delivered).toHaveLength(0);
    });

    it('takes a serviceUrl on it, and expectReplies without one', async () => {
        const taken = await post({ conversation: { id: 'ssrf-3' }, serviceUrl: channel.url });
        expect(taken.status).toBe(200);
        await expect.poll(() => channel.to('ssrf-3').length).toBeGreaterThan(0);
        const res = await fetch(`${server.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: 'ssrf-4' }, from: { id: 'o' }, recipient: { id: 'linli' }, text: '您好' }),
        });
        expect(res.status).toBe(200);
        // The default list has loopback (the Emulator, the tests' own channels).
        const defaults = await startTestServer();
        try {
            expect(texts(await say(defaults.url, '您好', { conversationId: 'ssrf-5' })).length).toBeGreaterThan(0);
            expect((await fetch(`${defaults.url}/api/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ type: 'message', channelId: 'webchat', serviceUrl: 'http://10.0.0.1:8080/', conversation: { id: 'ssrf-6' }, from: { id: 'o' }, text: '您好' }),
            })).status).toBe(400);
        } finally {
            await defaults.close();
        }
    });

    it('stops start-up naming the variable when a pattern is not a host', async () => {
        const { code, stderr } = await failedStart({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-allow-')), SERVICE_URL_ALLOWLIST: 'https://x.example.com/path' });
        expect(code).toBe(2);
        expect(stderr).toContain('SERVICE_URL_ALLOWLIST');
    });

    it('warns at start-up that /api/messages is open when no app id is set and HOST is not loopback', async () => {
        const linli = await spawnLinli({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-open-')), HOST: '0.0.0.0' });
        try {
            await expect.poll(() => linli.output().stdout, { timeout: 3000 }).toMatch(/"level":40[^\n]*\/api\/messages is open/);
        } finally {
            await linli.stop();
        }
        const local = await spawnLinli({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-open-')) });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await local.stop();
        expect(local.output().stdout).toContain('Linli is listening');
        expect(local.output().stdout).not.toContain('is open');
    });
});
