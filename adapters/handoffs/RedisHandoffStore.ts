import type { Redis, Result } from 'ioredis';
import { Handoff, HandoffConflictError, HandoffPriorities, HandoffStatuses, queuePosition, type HandoffPosition, type HandoffStatus } from '../../bot/handoff/Handoff';
import type { HandoffStore, PriorityCounts } from '../../bot/handoff/HandoffStore';
import { compareIds } from '../../bot/paging/compareIds';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/**
 * A status set scores each handoff by its queue position: tier × 10¹³ + queue time in ms (exact in a double until
 * 2286), so score order is queue order and equal scores fall back to the id, as in SQLite.
 */
const TIER_SCALE = 1e13;

function score(position: HandoffPosition): number {
    return position.tier * TIER_SCALE + position.since;
}

/**
 * Writes a handoff if the stored version is the expected one, and moves it between the status sets and the priority
 * counts in the same step. KEYS: handoff hash, queued set, active set, closed set, priority counts hash. ARGV: mode
 * ('open' | 'replace'), doc, version, conversation id, queue score, status, priority. 'open' keeps an open
 * (queued/active) handoff and returns it; 'replace' needs version - 1. A handoff an older build wrote (scored by
 * time alone, below one tier) was never counted by priority, so it is not taken off the counts.
 */
const WRITE_HANDOFF = `
local current = redis.call('HGET', KEYS[1], 'version')
local status = redis.call('HGET', KEYS[1], 'status')
local previous = redis.call('HGET', KEYS[1], 'doc')
local version = tonumber(ARGV[3])
if ARGV[1] == 'open' then
  if status == 'queued' or status == 'active' then return redis.call('HGET', KEYS[1], 'doc') end
  version = (tonumber(current) or 0) + 1
elseif tonumber(current) ~= version - 1 then
  return false
end
local doc = cjson.decode(ARGV[2])
doc['version'] = version
local encoded = cjson.encode(doc)
local sets = {queued = KEYS[2], active = KEYS[3], closed = KEYS[4]}
if status and previous and sets[status] then
  local score = tonumber(redis.call('ZSCORE', sets[status], ARGV[4]))
  if score and score >= ${TIER_SCALE} then
    redis.call('HINCRBY', KEYS[5], status .. ':' .. tostring(cjson.decode(previous)['priority']), -1)
  end
end
redis.call('HSET', KEYS[1], 'doc', encoded, 'version', version, 'status', ARGV[6])
for i = 2, 4 do redis.call('ZREM', KEYS[i], ARGV[4]) end
redis.call('ZADD', sets[ARGV[6]], ARGV[5], ARGV[4])
redis.call('HINCRBY', KEYS[5], ARGV[6] .. ':' .. ARGV[7], 1)
return encoded
`;

/**
 * Gives a handoff an older build scored by time alone its queue position, and counts it by priority, unless a write
 * got there first. KEYS: status set, priority counts hash. ARGV: conversation id, queue score, status, priority.
 */
const RESCORE_HANDOFF = `
local current = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if current and current < ${TIER_SCALE} then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('HINCRBY', KEYS[2], ARGV[3] .. ':' .. ARGV[4], 1)
end
return 0
`;

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliRescoreHandoff(statusKey: string, countsKey: string, ...args: string[]): Result<number, Context>;
        linliWriteHandoff(handoffKey: string, queuedKey: string, activeKey: string, closedKey: string, countsKey: string, ...args: string[]): Result<string | null, Context>;
    }
}

/**
 * Handoffs in Redis, shared by every instance: a hash per conversation, a sorted set per status (by queue position)
 * and a hash of counts by status and priority.
 */
export class RedisHandoffStore implements HandoffStore {
    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
    ) {
        redis.defineCommand('linliWriteHandoff', { numberOfKeys: 5, lua: WRITE_HANDOFF });
        redis.defineCommand('linliRescoreHandoff', { numberOfKeys: 2, lua: RESCORE_HANDOFF });
    }

    /**
     * Handoffs an older build wrote are scored by queue time alone (below one tier) and not counted by priority: they
     * are given their queue position once, before anything reads in queue order, so none sorts wrongly or is missed
     * by a cursor. Checking costs one lookup per status; a failed attempt (Redis down) is tried again next read.
     */
    private positioned: Promise<void> | null = null;
    private positionOlderHandoffs(): Promise<void> {
        this.positioned ??= this.rescoreOlderHandoffs().catch((error: unknown) => {
            this.positioned = null;
            throw error;
        });
        return this.positioned;
    }

    private async rescoreOlderHandoffs(): Promise<void> {
        for (const status of HandoffStatuses.options) {
            const key = this.statusKey(status);
            for (;;) {
                const ids = await guarded('handoff list', () => this.redis.zrangebyscore(key, '-inf', `(${TIER_SCALE}`, 'LIMIT', 0, 200));
                if (ids.length === 0) break;
                const docs = (await guarded('handoff list', () => this.redis.pipeline(ids.map((id) => ['hget', this.key(id), 'doc'])).exec())) ?? [];
                const pipeline = this.redis.pipeline();
                ids.forEach((id, i) => {
                    const doc = docs[i]?.[1];
                    if (typeof doc !== 'string') return void pipeline.zrem(key, id);
                    const h = Handoff.parse(JSON.parse(doc));
                    pipeline.linliRescoreHandoff(key, this.countsKey, id, String(score(queuePosition(h))), status, String(h.priority));
                });
                await guarded('handoff list', () => pipeline.exec());
            }
        }
    }

    private key(conversationId: string): string {
        return `${this.prefix}handoffs:doc:${conversationId}`;
    }

    private statusKey(status: HandoffStatus): string {
        return `${this.prefix}handoffs:status:${status}`;
    }

    private get countsKey(): string {
        return `${this.prefix}handoffs:priorities`;
    }

    private write(mode: 'open' | 'replace', h: Handoff): Promise<string | null> {
        return guarded('handoff write', () =>
            this.redis.linliWriteHandoff(
                this.key(h.conversationId),
                this.statusKey('queued'),
                this.statusKey('active'),
                this.statusKey('closed'),
                this.countsKey,
                mode,
                JSON.stringify(h),
                String(h.version),
                h.conversationId,
                String(score(queuePosition(h))),
                h.status,
                String(h.priority),
            ) as Promise<string | null>,
        );
    }

    async open(handoff: Handoff): Promise<Handoff> {
        const stored = await this.write('open', Handoff.parse(handoff));
        return Handoff.parse(JSON.parse(stored ?? 'null'));
    }

    async get(conversationId: string): Promise<Handoff | null> {
        const doc = await guarded('handoff read', () => this.redis.hget(this.key(conversationId), 'doc'));
        return doc ? Handoff.parse(JSON.parse(doc)) : null;
    }

    async replace(next: Handoff): Promise<void> {
        const stored = await this.write('replace', Handoff.parse(next));
        if (stored === null) throw new HandoffConflictError(next.conversationId);
    }

    async page(status: HandoffStatus, limit: number, after: HandoffPosition | null): Promise<Handoff[]> {
        await this.positionOlderHandoffs();
        const key = this.statusKey(status);
        const ids = await guarded('handoff list', async () => {
            if (!after) return this.redis.zrange(key, 0, limit - 1);
            // A keyset step: the cursor's equal-score neighbours that sort after its id, then everything scored higher.
            const at = String(score(after));
            const [ties, higher] = await Promise.all([this.redis.zrangebyscore(key, at, at), this.redis.zrangebyscore(key, `(${at}`, '+inf', 'LIMIT', 0, limit)]);
            return [...ties.filter((id) => compareIds(id, after.conversationId) > 0), ...higher].slice(0, limit);
        });
        if (ids.length === 0) return [];
        const docs = await guarded('handoff list', () => this.redis.pipeline(ids.map((id) => ['hget', this.key(id), 'doc'])).exec());
        return (docs ?? []).flatMap(([, doc]) => (typeof doc === 'string' ? [Handoff.parse(JSON.parse(doc))] : []));
    }

    async countBefore(status: HandoffStatus, position: HandoffPosition): Promise<number> {
        await this.positionOlderHandoffs();
        const key = this.statusKey(status);
        const at = String(score(position));
        const [lower, ties] = await guarded('handoff count', () => Promise.all([this.redis.zcount(key, '-inf', `(${at}`), this.redis.zrangebyscore(key, at, at)]));
        return lower + ties.filter((id) => compareIds(id, position.conversationId) < 0).length;
    }

    async countsByPriority(status: HandoffStatus): Promise<PriorityCounts> {
        await this.positionOlderHandoffs();
        const values = await guarded('handoff count', () => this.redis.hmget(this.countsKey, ...HandoffPriorities.map((p) => `${status}:${p}`)));
        return Object.fromEntries(HandoffPriorities.map((p, i) => [String(p), Math.max(0, Number(values[i] ?? 0))])) as PriorityCounts;
    }

    count(status: HandoffStatus): Promise<number> {
        return guarded('handoff count', () => this.redis.zcard(this.statusKey(status)));
    }

    async ping(): Promise<void> {
        await guarded('handoff ping', () => this.redis.ping());
    }
}
