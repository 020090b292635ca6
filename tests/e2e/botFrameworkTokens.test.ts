import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenIdStandIn, rsaKeys, signJwt } from '../helpers/openIdStandIn';
import { SilentChannel } from '../helpers/silentChannel';
import { spawnLinli, type LinliProcess } from '../helpers/spawnLinli';

// With MICROSOFT_APP_ID set every activity's JWT is checked against the keys in the Bot Framework's OpenID
// metadata. The metadata is a loopback stand-in here (the tests never reach the internet): one that never answers,
// a closed port, or one that publishes a key of the test's own.
const APP_ID = '00000000-0000-0000-0000-0000000000a1';
const CHANNEL_ISSUER = 'https://api.botframework.com';
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
const signer = rsaKeys();
const forger = rsaKeys();
const silent = new SilentChannel();

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return { iss: CHANNEL_ISSUER, aud: APP_ID, nbf: now - 60, exp: now + 3600, serviceurl: 'https://webchat.botframework.com/', ...extra };
}

async function post(url: string, token: string): Promise<{ status: number; ms: number; body: string }> {
    const started = Date.now();
    const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
            type: 'message',
            channelId: 'webchat',
            serviceUrl: 'https://webchat.botframework.com/',
            conversation: { id: 'jwt-1' },
            from: { id: 'owner-jwt' },
            recipient: { id: APP_ID },
            text: '您好',
        }),
        signal: AbortSignal.timeout(8000),
    });
    return { status: res.status, ms: Date.now() - started, body: await res.text() };
}

async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
}

function warnings(stdout: string, text: string): string[] {
    return stdout.split('\n').filter((line) => line.includes(text));
}

describe('forged tokens while the OpenID metadata can not be reached', () => {
    let linli: LinliProcess;
    beforeAll(async () => {
        await silent.start();
        linli = await spawnLinli({
            DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-jwt-')),
            MICROSOFT_APP_ID: APP_ID,
            MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
            BOT_OPENID_METADATA_URL: `${silent.url}/.well-known/openidconfiguration`,
            EMULATOR_OPENID_METADATA_URL: `http://127.0.0.1:${await closedPort()}/v2.0/.well-known/openid-configuration`,
        });
    });
    afterAll(async () => {
        await linli.stop();
        await silent.stop();
    });

    it('answer 401 within 2 s, and the failure is logged once, not once a request', async () => {
        const first = await post(linli.url, signJwt(claims(), forger.privateKey, 'no-such-key'));
        expect(first.status).toBe(401);
        expect(first.ms).toBeLessThan(2000);
        expect(JSON.parse(first.body)).toMatchObject({ error: 'unauthorized' });
        for (let round = 0; round < 4; round++) {
            const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => post(linli.url, signJwt(claims({ jti: `${round}-${i}` }), forger.privateKey, `key-${round}-${i}`))));
            for (const answer of answers) {
                expect(answer.status).toBe(401);
                expect(answer.ms).toBeLessThan(2000);
            }
        }
        // An Emulator-issued token goes to the other metadata document (a closed port): refused as fast.
        const emulator = await post(linli.url, signJwt(claims({ iss: EMULATOR_ISSUER, ver: '1.0', appid: APP_ID }), forger.privateKey, 'emu-key'));
        expect(emulator.status).toBe(401);
        expect(emulator.ms).toBeLessThan(2000);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const { stdout, stderr } = linli.output();
        expect(warnings(stdout, silent.url)).toHaveLength(1);
        expect(stderr).toBe('');
        expect(linli.child.exitCode).toBeNull();
    });
});

describe('tokens checked against keys that are published', () => {
    const openId = new OpenIdStandIn(signer.publicKey, 'linli-test-key');
    let linli: LinliProcess;
    beforeAll(async () => {
        await openId.start();
        linli = await spawnLinli({
            DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-jwt-')),
            MICROSOFT_APP_ID: APP_ID,
            MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
            BOT_OPENID_METADATA_URL: openId.metadataUrl,
            EMULATOR_OPENID_METADATA_URL: openId.metadataUrl,
        });
    });
    afterAll(async () => {
        await linli.stop();
        await openId.stop();
    });

    it('refuses an expired token and one signed by another key with 401, logging through pino only', async () => {
        const now = Math.floor(Date.now() / 1000);
        const expired = await post(linli.url, signJwt(claims({ nbf: now - 7200, exp: now - 3600 }), signer.privateKey, 'linli-test-key'));
        expect(expired.status).toBe(401);
        // A published key id, a signature by some other key: jsonwebtoken's error is not botbuilder's, yet 401.
        const forged = await post(linli.url, signJwt(claims(), forger.privateKey, 'linli-test-key'));
        expect(forged.status).toBe(401);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const { stdout, stderr } = linli.output();
        // botframework-connector prints these with console.error (a stack trace, the key): they come out as log lines.
        expect(stderr).toBe('');
        for (const line of stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
        // The keys were fetched once and kept.
        expect(openId.requests).toBe(2);
    });
});
