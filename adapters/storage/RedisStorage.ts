import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type { StoreItems } from 'botbuilder';
import type { PingableStorage, TtlPolicy } from '../../bot/storage/PingableStorage';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { eTagConflict, expectedETag, requireChanges, requireKeys, withoutETag } from '../../bot/storage/storageErrors';

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliWriteIfMatch(numKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
    }
}

/**
 * Checks every expected eTag first and writes only if all match, so a batch is all-or-nothing.
 * KEYS: the hashes. ARGV: per key, four values: expected eTag ('' = unconditional), document, new eTag, TTL seconds (0 = none).
 * Returns 0 on success or the 1-based index of the first conflicting key.
 */
const WRITE_IF_MATCH = `
for i, key in ipairs(KEYS) do
  local expected = ARGV[(i - 1) * 4 + 1]
  if expected ~= '' then
    local current = redis.call('HGET', key, 'etag')
    if current and current ~= expected then return i end
  end
end
for i, key in ipairs(KEYS) do
  local base = (i - 1) * 4
  redis.call('HSET', key, 'doc', ARGV[base + 2], 'etag', ARGV[base + 3])
  local ttl = tonumber(ARGV[base + 4])
  if ttl > 0 then redis.call('EXPIRE', key, ttl) else redis.call('PERSIST', key) end
end
return 0
`;

/** Bot state in Redis hashes (`doc`, `etag`) under a key prefix, with the eTag check done atomically in Lua. */
export class RedisStorage implements PingableStorage {
    readonly kind = 'redis' as const;

    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
        private readonly ttl: TtlPolicy = () => undefined,
    ) {
        redis.defineCommand('linliWriteIfMatch', { lua: WRITE_IF_MATCH });
    }

    private redisKey(key: string): string {
        return `${this.prefix}state:${key}`;
    }

    async read(keys: string[]): Promise<StoreItems> {
        const wanted = requireKeys(keys);
        const items: StoreItems = {};
        if (wanted.length === 0) return items;
        // Plain commands, not a MULTI-less pipeline object: they go out in call order on the connection's own queue
        // (one write when auto-pipelining is on). A pipeline object is written at exec(), ahead of commands queued
        // earlier in the same tick — such as the turn lock's SET NX that these reads must follow.
        const results = await guarded('read', () => Promise.all(wanted.map((key) => this.redis.hmget(this.redisKey(key), 'doc', 'etag'))));
        results.forEach(([doc, etag], i) => {
            const key = wanted[i];
            if (key !== undefined && typeof doc === 'string' && typeof etag === 'string') {
                const item = JSON.parse(doc) as Record<string, unknown>;
                item.eTag = etag;
                items[key] = item;
            }
        });
        return items;
    }

    async write(changes: StoreItems): Promise<void> {
        const entries = Object.entries(requireChanges(changes));
        if (entries.length === 0) return;
        const args: string[] = [];
        for (const [key, item] of entries) {
            args.push(expectedETag(item) ?? '', JSON.stringify(withoutETag(item)), randomUUID(), String(this.ttl(key) ?? 0));
        }
        const keys = entries.map(([key]) => this.redisKey(key));
        const conflict = await guarded('write', () => this.redis.linliWriteIfMatch(entries.length, ...keys, ...args));
        if (conflict > 0) throw eTagConflict(entries[conflict - 1]?.[0] ?? '');
    }

    async delete(keys: string[]): Promise<void> {
        const wanted = requireKeys(keys);
        if (wanted.length > 0) await guarded('delete', () => this.redis.del(...wanted.map((key) => this.redisKey(key))));
    }

    /** Redis drops expired keys itself. */
    async sweepExpired(): Promise<number> {
        return 0;
    }

    async ping(): Promise<void> {
        await guarded('ping', () => this.redis.ping());
    }

    /** The connection belongs to whoever made it (it is shared with the turn lock). */
    async close(): Promise<void> {}
}
