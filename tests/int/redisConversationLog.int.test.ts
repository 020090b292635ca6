import { describe, expect, it } from 'vitest';
import { RedisConversationLog } from '../../adapters/directline/RedisConversationLog';
import { createLogger } from '../../bot/logger';
import { SILENT_CONVERSATION_TTL_SECONDS } from '../../bot/webchat/ConversationLog';
import { conversationLogConformance } from '../helpers/conversationLogConformance';
import { testRedis } from '../helpers/redis';

const { redis, prefix } = await testRedis();
let n = 0;

describe.skipIf(!redis)('RedisConversationLog conformance (real Redis)', () => {
    conversationLogConformance(() => new RedisConversationLog(redis!, `${prefix}${++n}:`, 30 * 24 * 3600, createLogger('silent')));

    it('keeps a conversation nobody wrote in for an hour, then for the conversation TTL once the owner spoke', async () => {
        const p = `${prefix}${++n}:`;
        const log = new RedisConversationLog(redis!, p, 30 * 24 * 3600, createLogger('silent'));
        const c = { id: 'life', ownerId: 'dl_x', started: true, ownerSpoke: false, createdAt: '2026-12-01T00:00:00.000Z' };
        await log.create(c);
        await log.append(c, { type: 'message', text: 'welcome' });
        expect(await redis!.ttl(`${p}dl:c:life`)).toBeLessThanOrEqual(SILENT_CONVERSATION_TTL_SECONDS);
        expect(await redis!.ttl(`${p}dl:a:life`)).toBeLessThanOrEqual(SILENT_CONVERSATION_TTL_SECONDS);
        await log.append(c, { type: 'message', text: '我家漏水' }, { ownerSpoke: true });
        for (const kind of ['c', 's', 'a']) expect(await redis!.ttl(`${p}dl:${kind}:life`)).toBeGreaterThan(SILENT_CONVERSATION_TTL_SECONDS);
        expect(await log.get('life')).toMatchObject({ ownerSpoke: true });
        await log.close();
    });
});
