import { mkdtempSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../adapters/storage/SqliteStorage';
import { wechatSignature } from '../../adapters/wechat/WeChatCrypto';
import { AdjustableDelayStorage } from '../helpers/AdjustableDelayStorage';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';
import { WeChatStandIn } from '../helpers/wechatStandIn';
import { message, newMsgId, postRaw, postToLinli, signedQuery, textMessage, type WeChatAccount, type WeChatMode } from '../helpers/wechatOwner';

const TOKEN = 'linliTestToken42';
const APP_ID = 'wx1234567890abcdef';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const BUDGET_MS = 1500;

let standIn: WeChatStandIn;
let server: TestServer;
let storage: AdjustableDelayStorage;
let account: WeChatAccount;
let owners = 0;
const newOwner = () => `oTest${process.pid}x${++owners}`;

beforeAll(async () => {
    standIn = await new WeChatStandIn().start();
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-wechat-'));
    storage = new AdjustableDelayStorage(new SqliteStorage(join(dataDir, 'state.sqlite')));
    server = await startTestServer(
        { DATA_DIR: dataDir, WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: 'test-secret', WECHAT_ENCODING_AES_KEY: AES_KEY, WECHAT_API_BASE_URL: standIn.url, WECHAT_REPLY_BUDGET_MS: String(BUDGET_MS) },
        { storage },
    );
    account = { url: server.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY };
});

afterAll(async () => {
    await server?.close();
    await standIn?.close();
});

describe('WeChat server URL verification (GET)', () => {
    it('returns echostr as it came for a good signature, in every mode, and 401 for a bad one', async () => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = '20261201';
        const good = new URLSearchParams({ signature: wechatSignature(TOKEN, timestamp, nonce), timestamp, nonce, echostr: '8731642198736421' });
        const ok = await fetch(`${server.url}/api/wechat?${good.toString()}`);
        expect(ok.status).toBe(200);
        expect(await ok.text()).toBe('8731642198736421');
        const forged = new URLSearchParams({ signature: wechatSignature('otherToken', timestamp, nonce), timestamp, nonce, echostr: 'x' });
        expect((await fetch(`${server.url}/api/wechat?${forged.toString()}`)).status).toBe(401);
        expect((await fetch(`${server.url}/api/wechat?echostr=x`)).status).toBe(401);
    });
});

describe('WeChat messages in each mode', () => {
    it.each<WeChatMode>(['plain', 'compatible', 'safe'])('%s mode: a passive text reply to the owner, encrypted when the request was', async (mode) => {
        const openid = newOwner();
        const answer = await postToLinli(account, textMessage(openid, '您好'), { mode });
        expect(answer.status).toBe(200);
        if (mode !== 'plain') expect(answer.body).toContain('<Encrypt>');
        else expect(answer.body).not.toContain('<Encrypt>');
        expect(answer.reply).toMatchObject({ ToUserName: openid, FromUserName: 'gh_linli_test', MsgType: 'text' });
        expect(answer.reply?.Content?.length).toBeGreaterThan(0);
    });

    it('refuses forged, stale and wrong-appId requests with 401 and processes nothing', async () => {
        const openid = newOwner();
        const forged = await postToLinli(account, textMessage(openid, '我要投诉'), { signWith: 'notTheToken' });
        const forgedAes = await postToLinli(account, textMessage(openid, '我要投诉'), { mode: 'safe', signWith: 'notTheToken' });
        const stale = await postToLinli(account, textMessage(openid, '我要投诉'), { timestamp: Math.floor(Date.now() / 1000) - 301 });
        const ahead = await postToLinli(account, textMessage(openid, '我要投诉'), { mode: 'safe', timestamp: Math.floor(Date.now() / 1000) + 400 });
        const otherApp = await postToLinli(account, textMessage(openid, '我要投诉'), { mode: 'safe', encryptFor: 'wx0000000000000000' });
        expect([forged.status, forgedAes.status, stale.status, ahead.status, otherApp.status]).toEqual([401, 401, 401, 401, 401]);
        const transcript = await server.linli.handoffs.transcript(`wx:${openid}`);
        expect(transcript).toEqual([]);
    });

    it('refuses a body that is not UTF-8, or declares another encoding, with 400 (WeChat sends UTF-8 only)', async () => {
        const openid = newOwner();
        const xml = (type: string) => `<xml><ToUserName>gh</ToUserName><FromUserName>${openid}</FromUserName><CreateTime>1</CreateTime><MsgType>${type}</MsgType><Content>x</Content><MsgId>${newMsgId()}</MsgId></xml>`;
        const gbkBytes = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好 in GBK: not valid UTF-8
        const [head, tail] = xml('@@').split('@@') as [string, string];
        const gbk = await postRaw(account, signedQuery(account), Buffer.concat([Buffer.from(head), gbkBytes, Buffer.from(tail)]));
        expect(gbk.status).toBe(400);
        const declared = await postRaw(account, signedQuery(account), `<?xml version="1.0" encoding="GBK"?>${xml('text')}`);
        expect(declared.status).toBe(400);
        const utf8 = await postRaw(account, signedQuery(account), `<?xml version="1.0" encoding="UTF-8"?>${xml('text')}`);
        expect(utf8.status).toBe(200);
    });

    it('refuses DTDs and entities (400), bodies over 64 KiB (413), and never answers 500 to hostile XML', async () => {
        const openid = newOwner();
        const bomb = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><ToUserName>gh</ToUserName><FromUserName>${openid}</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&c;</Content><MsgId>1</MsgId></xml>`;
        const external = `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>gh</ToUserName><FromUserName>${openid}</FromUserName><MsgType>text</MsgType><Content>&xxe;</Content></xml>`;
        expect((await postRaw(account, signedQuery(account), bomb)).status).toBe(400);
        expect((await postRaw(account, signedQuery(account), external)).status).toBe(400);
        const huge = `<xml><ToUserName>gh</ToUserName><FromUserName>${openid}</FromUserName><MsgType>text</MsgType><Content>${'好'.repeat(30_000)}</Content></xml>`;
        expect((await postRaw(account, signedQuery(account), huge)).status).toBe(413);
        const hostile = [
            '<xml><ToUserName>gh</ToUserName>',
            '<<<>>>',
            '<xml><MsgType><![CDATA[text]]></MsgType></xml>',
            `<xml><ToUserName>gh</ToUserName><FromUserName>${openid}</FromUserName><MsgType>text</MsgType><Content><a><b><c>1</c></b></a></Content><MsgId>${newMsgId()}</MsgId></xml>`,
            `<xml><ToUserName>gh</ToUserName><FromUserName>${openid}</FromUserName><CreateTime>x</CreateTime><MsgType>event</MsgType><Event>TEMPLATESENDJOBFINISH</Event></xml>`,
            `<xml><ToUserName>gh</ToUserName><FromUserName>${openid}</FromUserName><MsgType>text</MsgType><MsgType>image</MsgType><MsgId>${newMsgId()}</MsgId></xml>`,
            `${'<xml>'.repeat(200)}${'</xml>'.repeat(200)}`,
            '{"MsgType":"text"}',
            '\u0000\u0001\u0002',
        ];
        for (const body of hostile) {
            const answer = await postRaw(account, signedQuery(account), body);
            expect(answer.status === 200 ? answer.body === 'success' || answer.reply !== null : answer.status >= 400 && answer.status < 500, `${answer.status} ${body.slice(0, 60)}`).toBe(true);
        }
        const wrongType = await postRaw(account, signedQuery(account), '<xml/>', undefined, 'application/json');
        expect(wrongType.status).toBe(415);
    });
});

describe('the official WeChat vectors over HTTP', () => {
    const vectors = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'wechat-vectors.json'), 'utf8')) as {
        decrypt: { token: string; encodingAESKey: string; appId: string; msg_signature: string; timestamp: string; nonce: string; encrypt: string; expected: string };
    };
    let vectorServer: TestServer;
    const v = vectors.decrypt;

    beforeAll(async () => {
        // The sample was signed in 2014: this server's clock is set there, so its timestamp is not stale.
        const offset = Number(v.timestamp) * 1000 - Date.now();
        vectorServer = await startTestServer(
            { WECHAT_TOKEN: v.token, WECHAT_APP_ID: v.appId, WECHAT_APP_SECRET: 's', WECHAT_ENCODING_AES_KEY: v.encodingAESKey, WECHAT_API_BASE_URL: standIn.url },
            { clock: () => new Date(Date.now() + offset) },
        );
    });
    afterAll(async () => vectorServer?.close());

    it('accepts the Official Account sample in safe mode and answers its sender, encrypted for the same appId', async () => {
        const vectorAccount = { url: vectorServer.url, token: v.token, appId: v.appId, aesKey: v.encodingAESKey };
        const search = `?${new URLSearchParams({ signature: wechatSignature(v.token, v.timestamp, v.nonce), timestamp: v.timestamp, nonce: v.nonce, encrypt_type: 'aes', msg_signature: v.msg_signature }).toString()}`;
        const body = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${v.encrypt}]]></Encrypt></xml>`;
        const answer = await postRaw(vectorAccount, search, body);
        expect(answer.status).toBe(200);
        expect(answer.reply).toMatchObject({ ToUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', FromUserName: 'gh_10f6c3c3ac5a', MsgType: 'text' });
        const tampered = search.replace(v.msg_signature, v.msg_signature.replace(/^./, (c) => (c === '0' ? '1' : '0')));
        expect((await postRaw(vectorAccount, tampered, body)).status).toBe(401);
    });
});

describe('WeChat retries and the 5-second window', () => {
    it('answers a message once however often WeChat sends it: the retry while the turn runs gets success at once', async () => {
        const openid = newOwner();
        const msg = textMessage(openid, '物业费怎么交');
        storage.delayMs = 120;
        try {
            const first = postToLinli(account, msg);
            await new Promise((r) => setTimeout(r, 60));
            const retry = await postToLinli(account, msg, { mode: 'safe' });
            expect(retry.body).toBe('success');
            expect(retry.ms).toBeLessThan(400);
            const answered = await first;
            expect(answered.reply?.Content?.length).toBeGreaterThan(0);
        } finally {
            storage.delayMs = 0;
        }
        expect((await postToLinli(account, msg)).body).toBe('success');
        await new Promise((r) => setTimeout(r, 200));
        expect(standIn.to(openid)).toEqual([]);
        const ownerLines = (await server.linli.handoffs.transcript(`wx:${openid}`)).filter((e) => e.from === 'owner');
        expect(ownerLines).toHaveLength(1);
    });

    it('joins the replies of one turn into one passive message where they fit', async () => {
        const text = '电梯里有人被困住了，快来人';
        const emulator = await say(server.url, text, { conversationId: `wx-compare-${owners}`, userId: `compare-${owners}` });
        expect(texts(emulator).length).toBeGreaterThan(1);
        const openid = newOwner();
        const answer = await postToLinli(account, textMessage(openid, text));
        const paragraphs = (answer.reply?.Content ?? '').split('\n\n');
        expect(paragraphs.length).toBeGreaterThanOrEqual(texts(emulator).length);
        expect(Buffer.byteLength(answer.reply?.Content ?? '')).toBeLessThanOrEqual(2048);
        await new Promise((r) => setTimeout(r, 200));
        expect(standIn.to(openid)).toEqual([]);
    });

    it('answers a slow turn with success within the budget, then the answer as a customer-service message', async () => {
        const openid = newOwner();
        storage.delayMs = BUDGET_MS + 100;
        let answer;
        try {
            answer = await postToLinli(account, textMessage(openid, '物业费怎么交'));
        } finally {
            storage.delayMs = 0;
        }
        expect(answer.body).toBe('success');
        expect(answer.ms).toBeLessThan(BUDGET_MS + 500);
        const sent = await standIn.waitFor(openid, 1);
        expect(sent[0]?.length).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, 300));
        expect(standIn.to(openid)).toHaveLength(1);
    });

    it('sends the answer as a customer-service message when WeChat closed the connection first, and only once', async () => {
        const openid = newOwner();
        const msg = textMessage(openid, '物业费怎么交');
        storage.delayMs = 150;
        const abort = new AbortController();
        setTimeout(() => abort.abort(), 80);
        try {
            await expect(postToLinli(account, msg, { signal: abort.signal })).rejects.toThrow();
            const sent = await standIn.waitFor(openid, 1);
            expect(sent[0]?.length).toBeGreaterThan(0);
        } finally {
            storage.delayMs = 0;
        }
        // WeChat's own retry after the broken connection: already answered, so nothing more.
        expect((await postToLinli(account, msg)).body).toBe('success');
        await new Promise((r) => setTimeout(r, 200));
        expect(standIn.to(openid)).toHaveLength(1);
    });

    it('gives the store-down sentence passively and processes nothing when the store is down', async () => {
        const openid = newOwner();
        const keys = server.linli.expiringKeys;
        const claim = keys.claim.bind(keys);
        keys.claim = () => Promise.reject(new Error('store down'));
        try {
            const answer = await postToLinli(account, message(openid, { MsgType: 'text', Content: '我要报修', MsgId: newMsgId() }));
            const phrases = JSON.parse(readFileSync(join(__dirname, '..', '..', 'scripts', 'phrases.json'), 'utf8')) as { phrases: Record<string, { default: string[] }> };
            expect(phrases.phrases.storage_down?.default.some((line) => answer.reply?.Content?.startsWith(line.slice(0, 8)))).toBe(true);
        } finally {
            keys.claim = claim;
        }
        expect(await server.linli.handoffs.transcript(`wx:${openid}`)).toEqual([]);
    });
});

describe('WeChat secrets in the logs', () => {
    it('never logs the AppSecret or an access token, even at trace and when a token is refused', async () => {
        const lines: string[] = [];
        const sink = new Writable({
            write(chunk: Buffer, _encoding, done) {
                lines.push(chunk.toString('utf8'));
                done();
            },
        });
        const secret = 'app-secret-never-logged-7f3a';
        const ownStandIn = await new WeChatStandIn().start();
        const slowStorage = new AdjustableDelayStorage(new SqliteStorage(join(mkdtempSync(join(tmpdir(), 'linli-wechat-log-')), 'state.sqlite')));
        slowStorage.delayMs = 100;
        const logged = await startTestServer(
            { LOG_LEVEL: 'trace', WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: secret, WECHAT_API_BASE_URL: ownStandIn.url, WECHAT_REPLY_BUDGET_MS: '50' },
            { storage: slowStorage },
            sink,
        );
        try {
            const openid = newOwner();
            const loggedAccount = { ...account, url: logged.url };
            // Turns slower than the 50 ms budget: the answers go by customer-service message, which needs the token.
            await postToLinli(loggedAccount, textMessage(openid, '物业费怎么交'));
            await ownStandIn.waitFor(openid, 1);
            ownStandIn.sendErrors.push(40014);
            await postToLinli(loggedAccount, textMessage(openid, '谢谢'));
            await ownStandIn.waitFor(openid, 2);
        } finally {
            await logged.close();
            await ownStandIn.close();
        }
        const all = lines.join('');
        expect(all).toContain('wechat access token refused');
        expect(all).not.toContain(secret);
        expect(all).not.toMatch(/ACCESS_TOKEN_\d/);
    });
});
