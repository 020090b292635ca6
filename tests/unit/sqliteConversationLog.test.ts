import { describe, expect, it } from 'vitest';
import { SqliteConversationLog } from '../../adapters/directline/SqliteConversationLog';
import { SILENT_CONVERSATION_TTL_SECONDS } from '../../bot/webchat/ConversationLog';
import { conversationLogConformance } from '../helpers/conversationLogConformance';

describe('SqliteConversationLog conformance', () => conversationLogConformance(() => new SqliteConversationLog(':memory:', 30 * 24 * 3600)));

describe('SqliteConversationLog lifetimes', () => {
    it('ends a conversation nobody wrote in after an hour, and keeps one the owner spoke in for the conversation TTL', async () => {
        let now = Date.parse('2026-12-01T00:00:00Z');
        const log = new SqliteConversationLog(':memory:', 7 * 24 * 3600, () => now);
        const base = { started: true, createdAt: '2026-12-01T00:00:00.000Z' };
        await log.create({ id: 'silent', ownerId: 'dl_a', ownerSpoke: false, ...base });
        await log.create({ id: 'spoke', ownerId: 'dl_b', ownerSpoke: false, ...base });
        await log.append({ id: 'spoke', ownerId: 'dl_b', ownerSpoke: false, ...base }, { type: 'message', text: '我家漏水' }, { ownerSpoke: true });
        now += (SILENT_CONVERSATION_TTL_SECONDS + 1) * 1000;
        expect(await log.get('silent')).toBeNull();
        expect(await log.get('spoke')).not.toBeNull();
        now += 7 * 24 * 3600 * 1000;
        expect(await log.get('spoke')).toBeNull();
        await log.close();
    });
});
