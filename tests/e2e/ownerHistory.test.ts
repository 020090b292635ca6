import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentApi } from '../helpers/agentApi';
import { say, startTestServer, type TestServer } from '../helpers/testServer';

// GET /api/owners/conversations: an owner's earlier conversations for the desk, from the outcome records.
const BOSS = 'boss-token-0123456789';
let server: TestServer;
beforeAll(async () => {
    server = await startTestServer({ AGENT_TOKENS: `boss:${BOSS}` });
});
afterAll(async () => server.close());

describe("an owner's conversations for the desk", () => {
    it('lists them newest first, by channel and owner id together, with whether a person took them', async () => {
        await say(server.url, '物业费怎么交', { conversationId: 'hist-1', userId: 'owner-zhao' });
        await say(server.url, '帮我转人工', { conversationId: 'hist-2', userId: 'owner-zhao' });
        await say(server.url, '您好', { conversationId: 'hist-other', userId: 'owner-qian' });
        const boss = new AgentApi(server.url, BOSS);
        const res = await boss.call('GET', '/api/owners/conversations?channelId=emulator&ownerId=owner-zhao');
        expect(res.status).toBe(200);
        const conversations = res.json.conversations as { conversationId: string; handoff: { reason: string } | null }[];
        expect(conversations.map((c) => c.conversationId)).toEqual(['hist-2', 'hist-1']);
        expect(conversations[0]?.handoff?.reason).toBe('requested');
        expect(conversations[1]?.handoff).toBeNull();
        // The same owner id on another channel is someone else.
        expect((await boss.call('GET', '/api/owners/conversations?channelId=wechat&ownerId=owner-zhao')).json.conversations).toEqual([]);
    });

    it('answers 401 without a token, 403 to a trainer, and 400 naming what is wrong with the query', async () => {
        expect((await fetch(`${server.url}/api/owners/conversations?channelId=emulator&ownerId=owner-zhao`)).status).toBe(401);
        const boss = new AgentApi(server.url, BOSS);
        expect((await boss.call('POST', '/api/accounts', { name: 'laozhang', displayName: '张老师', password: 'a-long-trainer-password', roles: ['trainer'] })).status).toBe(201);
        const session = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'laozhang', password: 'a-long-trainer-password' }) });
        const trainer = new AgentApi(server.url, ((await session.json()) as { token: string }).token);
        expect((await trainer.call('GET', '/api/owners/conversations?channelId=emulator&ownerId=owner-zhao')).status).toBe(403);
        const bad = await boss.call('GET', '/api/owners/conversations?ownerId=owner-zhao&limit=0');
        expect(bad.status).toBe(400);
        expect(JSON.stringify(bad.json)).toMatch(/channelId/);
    });
});
