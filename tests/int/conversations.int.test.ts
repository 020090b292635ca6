import { testRedisUrl } from '../../bot/config';
import { describeConversationCases } from '../helpers/conversationCases';
import { testRedis } from '../helpers/redis';

// The same conversations from tests/conversations/cases.json, with Redis holding everything (its own key prefix).
const { redis, prefix } = await testRedis();
describeConversationCases('conversation cases, Redis store', () => (redis ? { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix } : null));
