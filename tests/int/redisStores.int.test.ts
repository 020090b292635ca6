import { describe } from 'vitest';
import { RedisReminderStore } from '../../adapters/reminders/RedisReminderStore';
import { reminderStoreConformance } from '../helpers/reminderStoreConformance';
import { RedisHandoffStore } from '../../adapters/handoffs/RedisHandoffStore';
import { RedisTranscriptStore } from '../../adapters/transcripts/RedisTranscriptStore';
import { handoffStoreConformance, transcriptStoreConformance } from '../helpers/handoffStoreConformance';
import { testRedis } from '../helpers/redis';

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
