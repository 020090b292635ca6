import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { activities, dl, isBotMessage, openConversation, post, SECRET, StreamSocket } from '../helpers/directLine';
import { testRedis } from '../helpers/redis';
import { startTestServer, type TestServer } from '../helpers/testServer';

const { redis, prefix } = await testRedis();
let a: TestServer;
let b: TestServer;

describe.skipIf(!redis)('one web conversation served by two instances on one Redis', () => {
    beforeAll(async () => {
        const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix, DIRECT_LINE_SECRET: SECRET };
        [a, b] = await Promise.all([startTestServer(env), startTestServer(env)]);
        // Both instances' push subscribers must hold before the first push.
        const subscribers = async () => Number(((await redis!.pubsub('NUMSUB', `${prefix}dl:push`)) as [string, number])[1]);
        for (let i = 0; i < 100 && (await subscribers()) < 2; i++) await new Promise((r) => setTimeout(r, 20));
        expect(await subscribers()).toBe(2);
    });
    afterAll(async () => {
        await Promise.all([a?.close(), b?.close()]);
    });

    it('a token from one is good on the other, and what is written on one reaches a socket on the other within 500 ms', async () => {
        const c = await openConversation(a.url);
        const onB = await dl(b.url, 'GET', `/conversations/${c.conversationId}`, c.token);
        expect(onB.status).toBe(200);
        const socket = await StreamSocket.open(String(onB.json.streamUrl));
        await socket.waitFor(isBotMessage);
        // The echo is written on A before A runs the turn, so it must reach B's socket within 500 ms of the post.
        const sentAt = Date.now();
        const posting = post(a.url, c, { type: 'message', text: '你好' });
        const echo = await socket.waitFor((x) => x.type === 'message' && x.from?.role === 'user', 500);
        expect(Date.now() - sentAt).toBeLessThan(500);
        expect(echo.id).toBe((await posting).json.id);
        expect(echo.from?.id).toMatch(/^dl_/);
        await socket.waitFor((x) => isBotMessage(x) && x.replyToId === echo.id, 3000);
        // Typing posted on A reaches B's socket too (never stored).
        const typedAt = Date.now();
        expect((await post(a.url, c, { type: 'typing' })).status).toBe(200);
        await socket.waitFor((x) => x.type === 'typing' && x.from?.role === 'user', 500);
        expect(Date.now() - typedAt).toBeLessThan(500);
        // One sequence in the store: both instances list the same activities and watermark.
        expect(await activities(b.url, c)).toEqual(await activities(a.url, c));
        socket.close();
    });

    it('says the welcome once when both instances open the conversation, and a reload reconnects, at the same instant', async () => {
        for (let round = 0; round < 5; round++) {
            const generated = await dl(a.url, 'POST', '/tokens/generate', SECRET, {});
            const token = String(generated.json.token);
            const id = String(generated.json.conversationId);
            const answers = await Promise.all([
                dl(a.url, 'POST', '/conversations', token, {}),
                dl(b.url, 'POST', '/conversations', token, {}),
                dl(a.url, 'GET', `/conversations/${id}`, token),
                dl(b.url, 'GET', `/conversations/${id}`, token),
            ]);
            expect(answers.every((x) => x.status === 200 || x.status === 201)).toBe(true);
            expect(answers.filter((x) => x.status === 201).length).toBeLessThanOrEqual(1);
            const { activities: all } = await activities(b.url, { conversationId: id, token, streamUrl: '' });
            expect(all.filter(isBotMessage)).toHaveLength(1);
        }
    });

    it('a post to a conversation that ended since an instance last served it is 404, and nothing is stored', async () => {
        const c = await openConversation(a.url);
        expect((await post(a.url, c, { type: 'message', text: '你好' })).status).toBe(200);
        const before = await activities(a.url, c);
        // Its record expires (as after the conversation TTL); A still remembers the conversation.
        await redis!.del(`${prefix}dl:c:${c.conversationId}`);
        const late = await post(a.url, c, { type: 'message', text: '还在吗' });
        expect(late.status).toBe(404);
        expect(await redis!.zcard(`${prefix}dl:a:${c.conversationId}`)).toBe(before.activities.length);
        expect((await post(b.url, c, { type: 'message', text: '还在吗' })).status).toBe(404);
    });
});
