import { describe, expect, it } from 'vitest';
import { RedisReminderStore } from '../../adapters/reminders/RedisReminderStore';
import { reminderStoreConformance } from '../helpers/reminderStoreConformance';
import { RedisHandoffStore } from '../../adapters/handoffs/RedisHandoffStore';
import { queuePosition, type HandoffPosition } from '../../bot/handoff/Handoff';
import { RedisTranscriptStore } from '../../adapters/transcripts/RedisTranscriptStore';
import { handoffStoreConformance, sampleHandoff, transcriptStoreConformance } from '../helpers/handoffStoreConformance';
import { testRedis } from '../helpers/redis';
import { RedisStaffStore } from '../../adapters/staff/RedisStaffStore';
import { staffStoreConformance } from '../helpers/staffStoreConformance';

const { redis, prefix } = await testRedis();
let n = 0;

describe.skipIf(!redis)('RedisHandoffStore conformance (real Redis)', () => {
    handoffStoreConformance(() => new RedisHandoffStore(redis!, `${prefix}${++n}:`));
});
describe.skipIf(!redis)('RedisTranscriptStore conformance (real Redis)', () => {
    transcriptStoreConformance(() => new RedisTranscriptStore(redis!, `${prefix}${++n}:`, 600));
});
describe.skipIf(!redis)('RedisReminderStore conformance (real Redis)', () => {
    reminderStoreConformance(() => new RedisReminderStore(redis!, `${prefix}${++n}:`));
});

describe.skipIf(!redis)('RedisStaffStore conformance (real Redis)', () => {
    staffStoreConformance(() => new RedisStaffStore(redis!, `${prefix}${++n}:`));
});

describe.skipIf(!redis)('RedisHandoffStore on data an older build wrote', () => {
    it('gives handoffs scored by time alone their queue position once, so urgent ones come first and paging misses none', async () => {
        const keys = `${prefix}legacy-handoffs:`;
        const writer = new RedisHandoffStore(redis!, keys);
        const since = (minute: number) => new Date(Date.parse('2026-11-24T02:00:00.000Z') + minute * 60_000).toISOString();
        for (let i = 0; i < 5; i++) await writer.open(sampleHandoff(`old-${i}`, { priority: i === 4 ? 1 : 3, since: since(i) }));
        // What an older build left: status sets scored by queue time, no counts by priority.
        for (let i = 0; i < 5; i++) await redis!.zadd(`${keys}handoffs:status:queued`, Date.parse(since(i)), `old-${i}`);
        await redis!.del(`${keys}handoffs:priorities`);
        const store = new RedisHandoffStore(redis!, keys);
        await store.open(sampleHandoff('new-urgent', { priority: 2, since: since(10) }));
        const ids: string[] = [];
        for (let after: HandoffPosition | null = null; ; ) {
            const page = await store.page('queued', 1, after);
            if (page.length === 0) break;
            ids.push(page[0]!.conversationId);
            after = queuePosition(page[0]!);
        }
        expect(ids).toEqual(['old-4', 'new-urgent', 'old-0', 'old-1', 'old-2', 'old-3']);
        expect(await store.countsByPriority('queued')).toEqual({ 1: 1, 2: 1, 3: 4, 4: 0, 5: 0 });
        const accepted = (await store.get('old-0'))!;
        await store.replace({ ...accepted, status: 'active', agent: 'alice', version: accepted.version + 1 });
        expect(await store.countsByPriority('queued')).toMatchObject({ 3: 3 });
    });
});
