import { describe, expect, it } from 'vitest';
import { conversationTtl } from '../../bot/storage/PingableStorage';
import { RedisStorage } from '../../adapters/storage/RedisStorage';
import { RedisTicketStore } from '../../adapters/tickets/RedisTicketStore';
import { AgentApi } from '../helpers/agentApi';
import { FailingStorage } from '../helpers/FailingStorage';
import { testRedis } from '../helpers/redis';
import { say, startTestServer, texts } from '../helpers/testServer';

const { redis, prefix } = await testRedis();
const TOKEN = 'alice-token-0123456789';
const TICKET_NUMBER = /TS-\d{8}-\d{4}/;

describe.skipIf(!redis)('a Redis state write that fails after the ticket was written (real Redis)', () => {
    it('tells the owner the ticket stands, and the step sent again returns the same ticket, once', async () => {
        const storage = new FailingStorage(new RedisStorage(redis!, prefix, conversationTtl(3600)));
        const server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}` }, { storage, ticketStore: new RedisTicketStore(redis!, prefix) });
        try {
            const owner = { conversationId: 'redis-save-fails', userId: 'owner-redis' };
            await say(server.url, '电梯又坏了，天天坏，你们管不管', owner);
            await say(server.url, '对', owner);
            await say(server.url, '3号楼1单元', owner);
            storage.failWrites = true;
            const failed = texts(await say(server.url, '13812345678', owner)).join('\n');
            storage.failWrites = false;
            const id = TICKET_NUMBER.exec(failed)?.[0];
            expect(id).toBeDefined();
            expect(failed).not.toContain('稍后再试');
            const again = texts(await say(server.url, '13812345678', owner)).join('\n');
            expect(TICKET_NUMBER.exec(again)?.[0]).toBe(id);
            const { json } = await new AgentApi(server.url, TOKEN).call('GET', '/api/tickets');
            const mine = (json.tickets as { id: string; conversationId: string }[]).filter((t) => t.conversationId === 'redis-save-fails');
            expect(mine.map((t) => t.id)).toEqual([id]);
        } finally {
            await server.close();
        }
    });
});
