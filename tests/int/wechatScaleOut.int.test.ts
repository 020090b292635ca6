import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { AgentApi } from '../helpers/agentApi';
import { testRedis } from '../helpers/redis';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { WeChatStandIn } from '../helpers/wechatStandIn';
import { postToLinli, textMessage, type WeChatAccount } from '../helpers/wechatOwner';

const { redis, prefix } = await testRedis();
const TOKEN = 'linliScaleOut99';
const APP_ID = 'wx0a1b2c3d4e5f6a7b';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const AGENT = 'alice-token-0123456789';

describe.skipIf(!redis)('WeChat on two instances sharing one Redis', () => {
    const standIn = new WeChatStandIn();
    let a: TestServer;
    let b: TestServer;
    const accountOf = (server: TestServer): WeChatAccount => ({ url: server.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY });

    beforeAll(async () => {
        await standIn.start();
        const env = {
            REDIS_URL: testRedisUrl(),
            REDIS_KEY_PREFIX: prefix,
            AGENT_TOKENS: `alice:${AGENT}`,
            WECHAT_TOKEN: TOKEN,
            WECHAT_APP_ID: APP_ID,
            WECHAT_APP_SECRET: 'scale-out-secret',
            WECHAT_ENCODING_AES_KEY: AES_KEY,
            WECHAT_API_BASE_URL: standIn.url,
        };
        [a, b] = await Promise.all([startTestServer(env), startTestServer(env)]);
    }, 30_000);
    afterAll(async () => {
        await Promise.all([a?.close(), b?.close()]);
        await standIn.close();
    });

    it('a message WeChat delivers to both instances at once is processed and answered once', async () => {
        const openid = `oScale${process.pid}`;
        const msg = textMessage(openid, '物业费怎么交');
        const answers = await Promise.all([
            postToLinli(accountOf(a), msg),
            postToLinli(accountOf(b), msg, { mode: 'safe' }),
            postToLinli(accountOf(a), msg, { mode: 'compatible' }),
            postToLinli(accountOf(b), msg),
        ]);
        const passive = answers.filter((x) => x.reply !== null);
        expect(passive).toHaveLength(1);
        expect(answers.filter((x) => x.body === 'success')).toHaveLength(3);
        expect((await postToLinli(accountOf(b), msg)).body).toBe('success');
        const ownerLines = (await a.linli.handoffs.transcript(`wx:${openid}`)).filter((e) => e.from === 'owner');
        expect(ownerLines).toHaveLength(1);
        expect(standIn.to(openid)).toEqual([]);
    });

    it('the access token is fetched once and shared; an agent on the other instance reaches the owner', async () => {
        const openid = `oScaleAgent${process.pid}`;
        const other = `oScaleOther${process.pid}`;
        await postToLinli(accountOf(a), textMessage(openid, '转人工'));
        await postToLinli(accountOf(b), textMessage(other, '转人工'));
        const agentOnA = new AgentApi(a.url, AGENT);
        const agentOnB = new AgentApi(b.url, AGENT);
        // Both instances need the token at the same moment: one fetches it (the store lock), the other waits for it.
        const accepted = await Promise.all([agentOnB.call('POST', `/api/handoffs/wx:${openid}/accept`), agentOnA.call('POST', `/api/handoffs/wx:${other}/accept`)]);
        expect(accepted.map((x) => x.json.ownerNotified)).toEqual([true, true]);
        const [one, two] = await Promise.all([
            agentOnA.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '您好，这里是客服' }),
            agentOnB.call('POST', `/api/handoffs/wx:${openid}/messages`, { text: '请问有什么可以帮您' }),
        ]);
        expect([one.status, two.status]).toEqual([200, 200]);
        expect(standIn.to(openid)).toHaveLength(3);
        expect(standIn.tokenFetches).toEqual([false]);
        const entry = ((await agentOnA.call('GET', '/api/handoffs?status=active')).json.handoffs as Record<string, unknown>[]).find((h) => h.conversationId === `wx:${openid}`);
        expect(entry?.wechat).toMatchObject({ remaining: 2 });
    });
});
