import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentApi } from '../helpers/agentApi';
import { activities, dl, isBotMessage, openConversation, post, SECRET, StreamSocket, upgradeStatus, type OpenedConversation } from '../helpers/directLine';
import { say, startTestServer, type TestServer } from '../helpers/testServer';

const STAFF = 'alice-token-0123456789';
/** Moved forward by tests that need a token to expire (no waiting 30 minutes). */
let skewMs = 0;
let server: TestServer;
let url: string;

beforeAll(async () => {
    server = await startTestServer(
        { DIRECT_LINE_SECRET: SECRET, AGENT_TOKENS: `alice:${STAFF}`, CHAT_ALLOWED_ORIGINS: 'https://estate.example.com', CHAT_TOKEN_RATE_PER_MINUTE: '40' },
        { clock: () => new Date(Date.now() + skewMs) },
    );
    url = server.url;
});
afterAll(async () => server.close());

describe('Direct Line 3.0: credentials', () => {
    it('answers 401 without a Bearer and 403 with a wrong one', async () => {
        expect((await dl(url, 'POST', '/conversations', undefined, {})).status).toBe(401);
        expect((await dl(url, 'POST', '/conversations', undefined, {}, { authorization: 'Basic Zm9vOmJhcg==' })).status).toBe(401);
        expect((await dl(url, 'POST', '/conversations', 'not-the-secret-and-not-a-token', {})).status).toBe(403);
        expect((await dl(url, 'POST', '/tokens/generate', 'x.y', {})).status).toBe(403);
    });

    it('generates a token with the secret only, and a forged token is refused', async () => {
        const generated = await dl(url, 'POST', '/tokens/generate', SECRET, {});
        expect(generated.status).toBe(200);
        expect(generated.json).toMatchObject({ conversationId: expect.any(String), token: expect.any(String), expires_in: 1800 });
        // A token may not generate tokens.
        expect((await dl(url, 'POST', '/tokens/generate', String(generated.json.token), {})).status).toBe(403);
        const [body] = String(generated.json.token).split('.');
        const claims = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
        const forged = `${Buffer.from(JSON.stringify({ ...claims, u: 'someone-else' })).toString('base64url')}.${String(generated.json.token).split('.')[1]}`;
        expect((await dl(url, 'POST', '/conversations', forged, {})).status).toBe(403);
    });

    it('scopes a token to its conversation: another conversation is 403, an unknown one 404', async () => {
        const a = await openConversation(url);
        const b = await openConversation(url);
        expect((await dl(url, 'GET', `/conversations/${b.conversationId}/activities`, a.token)).status).toBe(403);
        expect((await post(url, { ...b, token: a.token }, { type: 'message', text: '你好' })).status).toBe(403);
        expect((await dl(url, 'GET', `/conversations/${b.conversationId}`, a.token)).status).toBe(403);
        expect((await dl(url, 'GET', '/conversations/no-such-conversation/activities', SECRET)).status).toBe(404);
    });

    it('refreshes before expiry any number of times, and never after (403)', async () => {
        const c = await openConversation(url);
        let token = c.token;
        for (let i = 0; i < 3; i++) {
            skewMs += 25 * 60 * 1000;
            const refreshed = await dl(url, 'POST', '/tokens/refresh', token, {});
            expect(refreshed.status).toBe(200);
            expect(refreshed.json).toMatchObject({ conversationId: c.conversationId, expires_in: 1800 });
            token = String(refreshed.json.token);
            expect((await activities(url, { ...c, token })).activities.length).toBeGreaterThan(0);
        }
        const stale = token;
        skewMs += 1801 * 1000;
        expect((await dl(url, 'POST', '/tokens/refresh', stale, {})).status).toBe(403);
        expect((await dl(url, 'GET', `/conversations/${c.conversationId}/activities`, stale)).status).toBe(403);
    });

    it('refuses channel webchat on /api/messages, where anyone could claim a web owner\'s id', async () => {
        const c = await openConversation(url, { id: 'estate-user-77' });
        const spoofed = await say(url, '我的报修怎么样了', { channelId: 'webchat', userId: 'estate-user-77', conversationId: c.conversationId });
        expect(spoofed.status).toBe(400);
        expect((await say(url, '您好', { channelId: 'emulator', conversationId: 'emulator-still-fine' })).status).toBe(200);
    });

    it('answers CORS preflights for the allowed origins only', async () => {
        const allowed = await fetch(`${url}/v3/directline/conversations`, {
            method: 'OPTIONS',
            headers: { origin: 'https://estate.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-ms-bot-agent' },
        });
        expect(allowed.status).toBe(204);
        expect(allowed.headers.get('access-control-allow-origin')).toBe('https://estate.example.com');
        expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization.*Content-Type.*x-ms-bot-agent/);
        const other = await fetch(`${url}/v3/directline/conversations`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' } });
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
});

describe('Direct Line 3.0: conversations and activities', () => {
    it('starts with Linli\'s welcome once, on channel webchat, with an absolute streamUrl; reopening is 200 without another', async () => {
        const generated = await dl(url, 'POST', '/tokens/generate', SECRET, {});
        const first = await dl(url, 'POST', '/conversations', String(generated.json.token), {});
        expect(first.status).toBe(201);
        expect(String(first.json.streamUrl)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[^/]+\/stream\?t=/);
        const c = { conversationId: String(first.json.conversationId), token: String(first.json.token), streamUrl: String(first.json.streamUrl) };
        const again = await dl(url, 'POST', '/conversations', String(generated.json.token), {});
        expect(again.status).toBe(200);
        const reconnect = await dl(url, 'GET', `/conversations/${c.conversationId}?watermark=1`, c.token);
        expect(reconnect.status).toBe(200);
        expect(String(reconnect.json.streamUrl)).toContain('watermark=1');
        const { activities: all } = await activities(url, c);
        const welcomes = all.filter(isBotMessage);
        expect(welcomes).toHaveLength(1);
        expect(welcomes[0]!.channelId).toBe('webchat');
        expect(welcomes[0]!.id).toMatch(new RegExp(`^${c.conversationId}\\|`));
    });

    it('says the welcome once when two opens and a reload\'s reconnect arrive at the same instant', async () => {
        for (let round = 0; round < 3; round++) {
            const generated = await dl(url, 'POST', '/tokens/generate', SECRET, {});
            const token = String(generated.json.token);
            const id = String(generated.json.conversationId);
            const answers = await Promise.all([
                dl(url, 'POST', '/conversations', token, {}),
                dl(url, 'POST', '/conversations', token, {}),
                dl(url, 'GET', `/conversations/${id}`, token),
            ]);
            // One of the three opened it (201 for a POST, 200 for the reconnect); the POSTs that came second say 200.
            expect(answers.filter((a) => a.status === 201).length).toBeLessThanOrEqual(1);
            expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
            const { activities: all } = await activities(url, { conversationId: id, token, streamUrl: '' });
            expect(all.filter(isBotMessage)).toHaveLength(1);
        }
    });

    it('replaces a forged from.id with the token\'s owner and ignores a browser\'s channelData.owner', async () => {
        const c = await openConversation(url, { id: 'estate-user-42', name: '王阿姨' }, { building: '5', unit: '2', room: '1502' });
        const posted = await post(url, c, {
            type: 'message',
            text: '物业费多少钱',
            from: { id: 'victim-owner', role: 'user' },
            channelData: { clientActivityID: 'client-1', owner: { name: '冒充', room: '999' } },
        });
        expect(posted.status).toBe(200);
        const { activities: all } = await activities(url, c);
        const echo = all.find((a) => a.id === posted.json.id)!;
        expect(echo.from?.id).toBe('estate-user-42');
        expect(echo.channelId).toBe('webchat');
        expect(echo.timestamp).toBeDefined();
        expect(echo.channelData).toMatchObject({ clientActivityID: 'client-1', owner: { name: '王阿姨', building: '5', unit: '2', room: '1502' } });
        expect(JSON.stringify(echo)).not.toContain('冒充');
        expect(all.some((a) => isBotMessage(a) && a.replyToId === echo.id)).toBe(true);
        // A minted owner: dl_ + 128 random bits, never the browser's.
        const minted = await openConversation(url);
        const p2 = await post(url, minted, { type: 'message', text: '你好', from: { id: 'estate-user-42' } });
        const mine = (await activities(url, minted)).activities.find((a) => a.id === p2.json.id)!;
        expect(mine.from?.id).toMatch(/^dl_[0-9a-f]{32}$/);
    });

    it('refuses types a client may not post (400), bodies over the cap (413), and hostile JSON (400) before the bot', async () => {
        const c = await openConversation(url);
        expect((await post(url, c, { type: 'conversationUpdate', membersAdded: [{ id: 'x' }] })).status).toBe(400);
        expect((await post(url, c, { type: 'endOfConversation' })).status).toBe(400);
        expect((await post(url, c, { type: 'message', text: 'x'.repeat(300 * 1024) })).status).toBe(413);
        expect((await dl(url, 'POST', `/conversations/${c.conversationId}/activities`, c.token, '{"type":')).status).toBe(400);
        expect((await dl(url, 'POST', `/conversations/${c.conversationId}/activities`, c.token, '[1,2]')).status).toBe(400);
        const before = await activities(url, c);
        expect(before.activities.filter((a) => a.from?.role === 'user')).toHaveLength(0);
    });

    it('replays from a watermark: the same watermark gives the same activities, no watermark the whole conversation', async () => {
        const c = await openConversation(url);
        const start = await activities(url, c);
        await post(url, c, { type: 'message', text: '你好' });
        const all = await activities(url, c);
        expect(all.activities.length).toBeGreaterThan(start.activities.length);
        const after = await activities(url, c, start.watermark);
        const again = await activities(url, c, start.watermark);
        expect(after).toEqual(again);
        expect(after.activities.map((a) => a.id)).toEqual(all.activities.slice(start.activities.length).map((a) => a.id));
        expect(after.watermark).toBe(all.watermark);
        expect((await activities(url, c, all.watermark)).activities).toHaveLength(0);
    });

    it('pushes on the WebSocket as it happens, to several sockets, and never stores typing', async () => {
        const c = await openConversation(url);
        const one = await StreamSocket.open(c.streamUrl);
        const reconnect = await dl(url, 'GET', `/conversations/${c.conversationId}`, c.token);
        const two = await StreamSocket.open(String(reconnect.json.streamUrl));
        await one.waitFor(isBotMessage);
        const { watermark } = await activities(url, c);
        expect((await post(url, c, { type: 'typing' })).status).toBe(200);
        await two.waitFor((a) => a.type === 'typing' && a.from?.role === 'user');
        const stillThere = await activities(url, c);
        expect(stillThere.watermark).toBe(watermark);
        expect(stillThere.activities.some((a) => a.type === 'typing')).toBe(false);
        one.ws.send('ignored client frame');
        const posted = await post(url, c, { type: 'message', text: '物业费怎么交' });
        for (const socket of [one, two]) {
            await socket.waitFor((a) => a.id === posted.json.id);
            await socket.waitFor((a) => isBotMessage(a) && a.replyToId === posted.json.id);
        }
        const frame = one.frames.find((f) => f.activities.some((a) => a.id === posted.json.id))!;
        expect(Number(frame.watermark)).toBeGreaterThan(Number(watermark));
        one.close();
        two.close();
    });

    it('holds at most 5 sockets a conversation: a sixth closes the oldest, and the rest still hear every push', async () => {
        const c = await openConversation(url);
        const sockets: StreamSocket[] = [];
        for (let i = 0; i < 6; i++) {
            const reconnect = await dl(url, 'GET', `/conversations/${c.conversationId}`, c.token);
            sockets.push(await StreamSocket.open(String(reconnect.json.streamUrl)));
        }
        const deadline = Date.now() + 2000;
        while (!sockets[0]!.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(sockets.map((s) => s.closed)).toEqual([true, false, false, false, false, false]);
        const posted = await post(url, c, { type: 'message', text: '你好' });
        for (const socket of sockets.slice(1)) await socket.waitFor((a) => a.id === posted.json.id);
        for (const socket of sockets) socket.close();
    });

    it('a post before the socket opens still reaches the socket, from the conversation\'s start', async () => {
        const c = await openConversation(url);
        const posted = await post(url, c, { type: 'message', text: '你好' });
        const socket = await StreamSocket.open(c.streamUrl);
        await socket.waitFor((a) => isBotMessage(a) && a.replyToId === posted.json.id);
        const ids = socket.activities.map((a) => a.id);
        expect(new Set(ids).size).toBe(ids.length);
        socket.close();
    });

    it('answers 400 to a stream path whose conversation id does not decode, and stays up', async () => {
        expect(await upgradeStatus(`${url.replace('http', 'ws')}/v3/directline/conversations/%E0%A4%A/stream?t=x`)).toBe(400);
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });

    it('refuses a stream without its credential (401), with a wrong or expired one (403), or another conversation\'s (403)', async () => {
        const a = await openConversation(url);
        const b = await openConversation(url);
        const base = a.streamUrl.split('?')[0]!;
        expect(await upgradeStatus(base)).toBe(401);
        expect(await upgradeStatus(`${base}?t=forged.token`)).toBe(403);
        expect(await upgradeStatus(`${base}?${b.streamUrl.split('?')[1]}`)).toBe(403);
        expect(await upgradeStatus(`${url.replace('http', 'ws')}/somewhere/else`)).toBe(404);
        skewMs += 61_000;
        expect(await upgradeStatus(a.streamUrl)).toBe(403);
    });

    it('delivers an agent\'s reply to a web owner: in GET activities and on the socket', async () => {
        const c = await openConversation(url);
        const socket = await StreamSocket.open(c.streamUrl);
        await post(url, c, { type: 'message', text: '我要转人工' });
        await socket.waitFor((a) => a.type === 'event' && a.name === 'handoff.initiate');
        const agent = new AgentApi(url, STAFF);
        expect((await agent.call('POST', `/api/handoffs/${c.conversationId}/accept`)).status).toBe(200);
        expect((await agent.call('POST', `/api/handoffs/${c.conversationId}/messages`, { text: '您好，我是客服小王，马上帮您处理' })).status).toBe(200);
        // The owner reads the words signed with the agent's display name (a token account's is its name).
        await socket.waitFor((a) => a.type === 'message' && a.text === 'alice：您好，我是客服小王，马上帮您处理');
        expect((await activities(url, c)).activities.some((a) => a.text === 'alice：您好，我是客服小王，马上帮您处理' && a.channelId === 'webchat')).toBe(true);
        socket.close();
    });

    it('delivers staff payment reminders to a web owner, now or scheduled (no serviceUrl is needed on this channel)', async () => {
        const c = await openConversation(url);
        const socket = await StreamSocket.open(c.streamUrl);
        await post(url, c, { type: 'message', text: '你好' });
        const before = (await activities(url, c)).activities.filter(isBotMessage).length;
        const staff = new AgentApi(url, STAFF);
        const now = await staff.call('POST', '/api/reminders/payment', { channelId: 'webchat', conversationId: c.conversationId, dueDate: '2026-12-31' });
        expect(now.status).toBe(202);
        await socket.waitFor((a) => isBotMessage(a) && a.text !== undefined && /12月31日|2026-12-31|缴/.test(a.text) && !a.replyToId);
        expect((await activities(url, c)).activities.filter(isBotMessage).length).toBe(before + 1);
        const later = await staff.call('POST', '/api/reminders/payment', { channelId: 'webchat', conversationId: c.conversationId, dueDate: '2026-12-31', remindAt: '2026-12-30T10:00:00+08:00' });
        expect(later.status).toBe(202);
        socket.close();
    });

    it('takes an image up to 5 MB as the owner\'s message with an attachment agents can open; other types 415', async () => {
        const c = await openConversation(url);
        const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(5 * 1024 * 1024 - 4, 1)]);
        const form = new FormData();
        form.append('activity', new Blob([JSON.stringify({ type: 'message', text: '漏水照片', from: { id: 'forged' } })], { type: 'application/vnd.microsoft.activity' }));
        form.append('file', new Blob([png], { type: 'image/png' }), 'leak.png');
        const res = await fetch(`${url}/v3/directline/conversations/${c.conversationId}/upload?userId=forged`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` }, body: form });
        expect(res.status).toBe(200);
        const { id } = (await res.json()) as { id: string };
        const message = (await activities(url, c)).activities.find((a) => a.id === id)!;
        expect(message.from?.id).toMatch(/^dl_/);
        expect(message.text).toBe('漏水照片');
        const attachment = message.attachments![0]!;
        expect(attachment).toMatchObject({ contentType: 'image/png', name: 'leak.png' });
        const image = await fetch(attachment.contentUrl!);
        expect(image.status).toBe(200);
        expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
        expect((await fetch(attachment.contentUrl!.replace(/sig=.*/, 'sig=forged'))).status).toBe(403);
        // Agents see the photo in the transcript once the owner asks for a person.
        await post(url, c, { type: 'message', text: '我要转人工' });
        const transcript = await new AgentApi(url, STAFF).call('GET', `/api/handoffs/${c.conversationId}/transcript`);
        expect(JSON.stringify(transcript.json)).toContain(attachment.contentUrl!);

        const text = new FormData();
        text.append('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
        const refused = await fetch(`${url}/v3/directline/conversations/${c.conversationId}/upload`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` }, body: text });
        expect(refused.status).toBe(415);
        const big = new FormData();
        big.append('file', new Blob([Buffer.alloc(5 * 1024 * 1024 + 1)], { type: 'image/jpeg' }), 'big.jpg');
        const tooBig = await fetch(`${url}/v3/directline/conversations/${c.conversationId}/upload`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` }, body: big });
        expect(tooBig.status).toBe(413);
    });
});

describe('POST /chat/token', () => {
    it('starts a conversation with a resume cookie, resumes it only with that cookie, and limits each address', async () => {
        const fresh = await fetch(`${url}/chat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(fresh.status).toBe(200);
        const started = (await fresh.json()) as { conversationId: string; token: string; expires_in: number };
        expect(started.expires_in).toBe(1800);
        const cookie = fresh.headers.get('set-cookie')!;
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Strict/);
        const key = cookie.split(';')[0]!;
        const opened = await dl(url, 'POST', '/conversations', started.token, {});
        expect(opened.status).toBe(201);
        const resume = (cookieHeader?: string) =>
            fetch(`${url}/chat/token`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...(cookieHeader ? { cookie: cookieHeader } : {}) },
                body: JSON.stringify({ conversationId: started.conversationId }),
            });
        const resumed = await resume(key);
        expect(resumed.status).toBe(200);
        const again = (await resumed.json()) as { conversationId: string; token: string };
        expect(again.conversationId).toBe(started.conversationId);
        const history = await activities(url, { conversationId: again.conversationId, token: again.token, streamUrl: '' } as OpenedConversation);
        expect(history.activities.filter(isBotMessage)).toHaveLength(1);
        expect((await dl(url, 'POST', '/conversations', again.token, {})).status).toBe(200);
        expect((await resume()).status).toBe(403);
        expect((await resume('linli_chat_resume=someone-elses-key')).status).toBe(403);
        let status = 200;
        for (let i = 0; i < 45 && status !== 429; i++) status = (await resume(key)).status;
        expect(status).toBe(429);
    });
});
