import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../../bot/config';
import type { RehearsalStore } from '../../bot/rehearsal/RehearsalStore';
import { RedisRehearsalStore } from './RedisRehearsalStore';
import { SqliteRehearsalStore } from './SqliteRehearsalStore';

/** The rehearsal store the config names: Redis under the key prefix, or SQLite under DATA_DIR. */
export function openRehearsalStore(redis: Redis | undefined, config: Pick<Config, 'REDIS_KEY_PREFIX' | 'DATA_DIR'>): RehearsalStore {
    return redis ? new RedisRehearsalStore(redis, config.REDIS_KEY_PREFIX) : new SqliteRehearsalStore(join(config.DATA_DIR, 'rehearsals.sqlite'));
}
