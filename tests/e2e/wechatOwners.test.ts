import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../adapters/storage/SqliteStorage';
import { AdjustableDelayStorage } from '../helpers/AdjustableDelayStorage';
import { AgentApi } from '../helpers/agentApi';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { WeChatStandIn } from '../helpers/wechatStandIn';
import { message, newMsgId, postToLinli, textMessage, type WeChatAccount } from '../helpers/wechatOwner';

const TOKEN = 'linliOwnersToken7';
const APP_ID = 'wxfedcba0987654321';
const AES_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
const AGENT = 'alice-token-0123456789';
const BUDGET_MS = 1000;

const phrases = JSON.parse(readFileSync(join(__dirname, '..', '..', 'scripts', 'phrases.json'), 'utf8')) as { phrases: Record<string, Record<string, string[]>> };
/** Every wording of a phrase, in every register, with its {placeholders} as wildcards. */
function phrase(key: string): RegExp[] {
    return Object.values(phrases.phrases[key] ?? {}).flat().map((line) => new RegExp(`^${line.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.*')}$`, 's'));
}
const says = (text: string | undefined, key: string) => phrase(key).some((re) => re.test(text ?? ''));

let standIn: WeChatStandIn;
let server: TestServer;
let storage: AdjustableDelayStorage;
let account: WeChatAccount;
let agent: AgentApi;
let owners = 0;
const newOwner = () => `oOwner${process.pid}x${++owners}`;
const send = (openid: string, content: string) => postToLinli(account, textMessage(openid, content), { mode: 'safe' });
const event = (openid: string, fields: Record<string, string>) => postToLinli(account, message(openid, { MsgType: 'event', ...fields }));

async function queueEntry(openid: string, status = 'queued'): Promise<Record<string, unknown> | undefined> {
    const { json } = await agent.call('GET', `/api/handoffs?status=${status}&limit=200`);
    return (json.handoffs as Record<string, unknown>[]).find((h) => h.conversationId === `wx:${openid}`);
}

beforeAll(async () => {
    standIn = await new WeChatStandIn().start();
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-wechat-owners-'));
    storage = new AdjustableDelayStorage(new SqliteStorage(join(dataDir, 'state.sqlite')));
    server = await startTestServer(
        {
            DATA_DIR: dataDir,
            AGENT_TOKENS: `alice:${AGENT}`,
            WECHAT_TOKEN: TOKEN,
            WECHAT_APP_ID: APP_ID,
            WECHAT_APP_SECRET: 'owners-secret',
            WECHAT_ENCODING_AES_KEY: AES_KEY,
            WECHAT_API_BASE_URL: standIn.url,
            WECHAT_REPLY_BUDGET_MS: String(BUDGET_MS),
        },
        { storage },
    );
    account = { url: server.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY };
    agent = new AgentApi(server.url, AGENT);
});

afterAll(async () => {
    await server?.close();
    await standIn?.close();
});

describe('WeChat message types', () => {
    it('voice: the recognised words are the message; without them, a polite request to type', async () => {
        const openid = newOwner();
        const heard = await postToLinli(account, message(openid, { MsgType: 'voice', MediaId: 'm1', Format: 'amr', Recognition: '你好', MsgId: newMsgId() }));
        expect(says(heard.reply?.Content, 'greeting')).toBe(true);
        const unheard = await postToLinli(account, message(openid, { MsgType: 'voice', MediaId: 'm2', Format: 'amr', MsgId: newMsgId() }));
        expect(says(unheard.reply?.Content, 'wechat_voice_unrecognised')).toBe(true);
    });

    it('location: offered as the place outside a flow (the flat still asked), and the place of the report when a flow asks where', async () => {
        const openid = newOwner();
        const answer = await postToLinli(account, message(openid, { MsgType: 'location', Location_X: '31.2', Location_Y: '121.5', Scale: '15', Label: '阳光花园小区东门', MsgId: newMsgId() }));
        expect(says(answer.reply?.Content, 'location_shared')).toBe(true);
        expect(answer.reply?.Content).toContain('阳光花园小区东门');

        // Asked where, the owner shares a location: its label is the place of the report.
        const reporter = newOwner();
        const asked = await send(reporter, '地下车库的灯坏了，麻烦派人来修');
        expect(says(asked.reply?.Content, 'location_shared')).toBe(false);
        let last = await postToLinli(account, message(reporter, { MsgType: 'location', Location_X: '31.2', Location_Y: '121.5', Scale: '15', Label: '阳光花园地下车库B区', MsgId: newMsgId() }));
        for (const answer of ['随时都可以', '13812345678']) {
            if (/TS-\d{8}-\d{4}/.test(last.reply?.Content ?? '')) break;
            last = await send(reporter, answer);
        }
        const ticketId = /TS-\d{8}-\d{4}/.exec(last.reply?.Content ?? '')?.[0];
        expect(ticketId, `${asked.reply?.Content} / ${last.reply?.Content}`).toBeDefined();
        expect((await agent.call('GET', `/api/tickets/${ticketId}`)).json).toMatchObject({ location: '阳光花园地下车库B区' });
    });

    it('subscribe: a welcome; other message types one polite line; other events success and nothing said', async () => {
        const openid = newOwner();
        const welcome = await event(openid, { Event: 'subscribe', EventKey: '' });
        expect(says(welcome.reply?.Content, 'welcome')).toBe(true);
        const video = await postToLinli(account, message(openid, { MsgType: 'video', MediaId: 'v', ThumbMediaId: 't', MsgId: newMsgId() }));
        expect(says(video.reply?.Content, 'wechat_unsupported')).toBe(true);
        for (const name of ['VIEW', 'LOCATION', 'SCAN', 'TEMPLATESENDJOBFINISH']) {
            const silent = await event(openid, { Event: name, EventKey: 'https://example.com' });
            expect(silent.body, name).toBe('success');
        }
        const click = await event(openid, { Event: 'CLICK', EventKey: 'NOT_IN_THE_MENU' });
        expect(click.body).toBe('success');
    });

    it('a complaint over WeChat becomes a ticket, a photo is kept on it, and CLICK maps the menu to intents', async () => {
        const openid = newOwner();
        await send(openid, '小区电梯又坏了，太过分了，我要投诉');
        await send(openid, '对');
        await send(openid, '5号楼2单元1502');
        const done = await send(openid, '13812345678');
        const ticketId = /TS-\d{8}-\d{4}/.exec(done.reply?.Content ?? '')?.[0];
        expect(ticketId, done.reply?.Content).toBeDefined();
        const ticket = await agent.call('GET', `/api/tickets/${ticketId}`);
        expect(ticket.json).toMatchObject({ channelId: 'wechat', conversationId: `wx:${openid}`, ownerId: openid, kind: 'complaint' });

        const photo = await postToLinli(account, message(openid, { MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/test.jpg', MediaId: 'MEDIA_ID_42', MsgId: newMsgId() }));
        expect(says(photo.reply?.Content, 'wechat_image_received')).toBe(true);
        expect(photo.reply?.Content).toContain(ticketId);
        const kept = JSON.stringify((await agent.call('GET', `/api/tickets/${ticketId}`)).json);
        expect(kept).toContain('MEDIA_ID_42');
        expect(kept).toContain('http://mmbiz.qpic.cn/test.jpg');

        const status = await event(openid, { Event: 'CLICK', EventKey: 'LINLI_STATUS' });
        expect(status.reply?.Content).toContain(ticketId);

        // The next report: the place and phone given before are kept; the place is offered, not assumed.
        await send(openid, '楼下垃圾桶好几天没人清理了，臭得很，我要投诉');
        const offered = await send(openid, '对');
        expect(offered.reply?.Content).toContain('还是5号楼2单元1502吗？');
        const second = await send(openid, '是');
        const secondId = /TS-\d{8}-\d{4}/.exec(second.reply?.Content ?? '')?.[0];
        expect(secondId, second.reply?.Content).toBeDefined();
        expect((await agent.call('GET', `/api/tickets/${secondId}`)).json).toMatchObject({ location: '5号楼2单元1502', contact: { phone: '13812345678' } });
    });
});

describe('WeChat suggested actions', () => {
    it('are offered as numbered choices, and "1"/"2" are understood as the choice', async () => {
        const openid = newOwner();
        const offered = await send(openid, '物业费怎么交？发个链接呗😂');
        const menu = /\n1\. (.+)\n2\. (.+)$/.exec(offered.reply?.Content ?? '');
        expect(menu, offered.reply?.Content).not.toBeNull();
        const direct = await send(newOwner(), `${menu![2]}😂`);
        const chosen = await send(openid, '２');
        expect(chosen.reply?.Content?.split('\n')[0]).toBe(direct.reply?.Content?.split('\n')[0]);
        expect(says(chosen.reply?.Content, 'not_understood')).toBe(false);
    });
});

describe('WeChat owners and agents: the customer-service window', () => {
    it('counts the window down, reports it on the queue, refuses past it with 409, and opens it again when the owner writes', async () => {
        const openid = newOwner();
        const click = await event(openid, { Event: 'CLICK', EventKey: 'LINLI_HUMAN' });
        expect(click.status).toBe(200);
        const queued = await queueEntry(openid);
        expect(queued?.wechat).toMatchObject({ remaining: 3 });
        expect(Date.parse(String((queued?.wechat as { windowClosesAt: string }).windowClosesAt)) - Date.now()).toBeLessThanOrEqual(60_000);

        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/accept`)).json).toMatchObject({ ownerNotified: true });
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '您好，我是客服小王' })).status).toBe(200);
        expect((await queueEntry(openid, 'active'))?.wechat).toMatchObject({ remaining: 1 });
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '请问是哪部电梯？' })).status).toBe(200);
        const past = await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '这条发不出去' });
        expect(past).toMatchObject({ status: 409, json: { error: 'outside_window' } });
        expect(standIn.to(openid)).toHaveLength(3);
        expect(standIn.to(openid)).toContain('alice：您好，我是客服小王');
        const transcript = (await agent.call('GET', `/api/handoffs/wx:${openid}/transcript`)).json;
        expect(JSON.stringify(transcript)).not.toContain('这条发不出去');

        // The owner writes (to the agent): five messages within 48 hours.
        expect((await send(openid, '3号梯')).body).toBe('success');
        expect((await queueEntry(openid, 'active'))?.wechat).toMatchObject({ remaining: 5 });
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '好的，马上派人' })).status).toBe(200);
        expect(standIn.to(openid).at(-1)).toBe('alice：好的，马上派人');
    });

    it('45047 marks the owner unreachable until they write again; unsubscribe is shown to the agent', async () => {
        const openid = newOwner();
        await send(openid, '转人工');
        await agent.call('POST', `/api/handoffs/wx:${openid}/accept`);
        standIn.sendErrors.push(45047);
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '第一条' })).json).toMatchObject({ error: 'outside_window' });
        const before = standIn.sent.length;
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '第二条' })).status).toBe(409);
        expect(standIn.sent.length).toBe(before);
        await send(openid, '我还在');
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '第三条' })).status).toBe(200);

        expect((await event(openid, { Event: 'unsubscribe', EventKey: '' })).body).toBe('success');
        const entry = await queueEntry(openid, 'active');
        expect(entry?.wechat).toMatchObject({ remaining: 0 });
        expect(JSON.stringify(entry?.wechat)).toContain('unfollowed');
        expect(JSON.stringify((await agent.call('GET', `/api/handoffs/wx:${openid}/transcript`)).json)).toContain('wechat.unsubscribed');
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '还在吗' })).json).toMatchObject({ error: 'outside_window' });
        const reminder = await agent.call('POST', '/api/reminders/payment', { channelId: 'wechat', conversationId: `wx:${openid}`, dueDate: '2026-12-30' });
        expect(reminder).toMatchObject({ status: 409, json: { error: 'outside_window' } });
    });

    it('a follow-up visit reaches a WeChat owner inside the window, and is recorded as blocked outside it', async () => {
        const ticketFor = async (openid: string) => {
            await send(openid, '楼道的灯坏了好几天没人修，太不像话了');
            await send(openid, '对');
            await send(openid, '4号楼');
            const done = await send(openid, '13812345678');
            const id = /TS-\d{8}-\d{4}/.exec(done.reply?.Content ?? '')?.[0];
            expect(id, done.reply?.Content).toBeDefined();
            await agent.call('PATCH', `/api/tickets/${id}`, { status: 'in_progress' });
            await agent.call('PATCH', `/api/tickets/${id}`, { status: 'replied', followUp: { dueAt: new Date(Date.now() - 60_000).toISOString() } });
            return id!;
        };
        const reachable = newOwner();
        const blocked = newOwner();
        const [open, closed] = [await ticketFor(reachable), await ticketFor(blocked)];
        await event(blocked, { Event: 'unsubscribe', EventKey: '' });
        await server.linli.followUps().tick();
        expect(standIn.to(reachable).join('\n')).toContain(open);
        expect(standIn.to(blocked)).toEqual([]);
        const history = JSON.stringify((await agent.call('GET', `/api/tickets/${closed}`)).json);
        expect(history).toContain('blocked by the channel');
    });

    it('a refused access token is refreshed once with force_refresh and the message sent', async () => {
        const openid = newOwner();
        await send(openid, '转人工');
        await agent.call('POST', `/api/handoffs/wx:${openid}/accept`);
        standIn.revokeCurrentToken();
        const fetches = standIn.tokenFetches.length;
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '令牌换过了' })).status).toBe(200);
        expect(standIn.tokenFetches.slice(fetches)).toEqual([true]);
        expect(standIn.to(openid).at(-1)).toBe('alice：令牌换过了');
    });

    it('48001 puts the channel in passive-only mode: a slow turn is answered on WeChat retry', async () => {
        const openid = newOwner();
        await send(openid, '转人工');
        await agent.call('POST', `/api/handoffs/wx:${openid}/accept`);
        standIn.sendErrors.push(48001);
        expect((await agent.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '发不了' })).json).toMatchObject({ error: 'owner_unreachable' });

        const slow = newOwner();
        const msg = textMessage(slow, '物业费怎么交');
        const sentBefore = standIn.sent.length;
        storage.delayMs = BUDGET_MS + 100;
        try {
            // WeChat gets no answer in time: the connection is dropped so that it retries.
            await expect(postToLinli(account, msg)).rejects.toThrow();
            storage.delayMs = 0;
            const retry = await postToLinli(account, msg);
            expect(retry.reply?.Content?.length).toBeGreaterThan(0);
        } finally {
            storage.delayMs = 0;
            await server.linli.expiringKeys.delete('wechat:passive-only');
        }
        expect((await postToLinli(account, msg)).body).toBe('success');
        expect(standIn.sent.length).toBe(sentBefore);
    });
});
