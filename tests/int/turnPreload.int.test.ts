import { ConversationState, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisTurnLock } from '../../adapters/locks/RedisTurnLock';
import { RedisStorage } from '../../adapters/storage/RedisStorage';
import { ConversationLockMiddleware } from '../../bot/middleware/ConversationLockMiddleware';
import { SnapshotBotState } from '../../bot/SnapshotBotState';
import { testRedis } from '../helpers/redis';

const { redis, prefix } = await testRedis();

describe.skipIf(!redis)('the turn lock and the state read (real Redis)', () => {
    it('asks for the lock before it reads the state, so a read taken as "under the lock" really is', async () => {
        // As Linli connects: auto-pipelining on, so the lock request and the reads leave in one write — in call order.
        const client = new Redis({ ...redis!.options, enableAutoPipelining: true });
        const monitor = await redis!.monitor();
        const seen: string[] = [];
        monitor.on('monitor', (_time: string, args: string[]) => {
            if (args.some((arg) => arg.startsWith(prefix))) seen.push(String(args[0]).toLowerCase());
        });
        try {
            const storage = new RedisStorage(client, prefix);
            const keys = new ConversationState(storage);
            const state = new SnapshotBotState(storage, (context) => keys.getStorageKey(context) ?? '');
            const middleware = new ConversationLockMiddleware(new RedisTurnLock(client, prefix), 2000, [state]);
            const activity: Partial<Activity> = { type: 'message', channelId: 'test', conversation: { id: 'preload', isGroup: false, conversationType: '', name: '' }, from: { id: 'o', name: '' }, recipient: { id: 'b', name: '' }, text: 'x' };
            const context = new TurnContext(new TestAdapter(), activity);
            await middleware.onTurn(context, async () => undefined);
            // MONITOR reports asynchronously; wait until the release has been seen.
            for (let i = 0; i < 50 && !seen.includes('evalsha') && !seen.includes('eval'); i++) await new Promise((r) => setTimeout(r, 20));
        } finally {
            monitor.disconnect();
            client.disconnect();
        }
        expect(seen.indexOf('set')).toBeGreaterThanOrEqual(0);
        expect(seen.indexOf('hmget')).toBeGreaterThan(seen.indexOf('set'));
    });
});
