import { describe } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { queuePagingScenario } from '../helpers/queuePagingScenario';
import { testRedis } from '../helpers/redis';

const { redis, prefix } = await testRedis();

describe.skipIf(!redis)('paged agents\' queue and ticket list, on Redis', () => queuePagingScenario({ REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix }));
