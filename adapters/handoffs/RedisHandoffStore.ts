import type { Redis, Result } from 'ioredis';
import { Handoff, HandoffConflictError, queueOrder, type HandoffStatus } from '../../bot/handoff/Handoff';
import type { HandoffStore } from '../../bot/handoff/HandoffStore';
import { guarded } from '../storage/StorageUnavailableError';

/**
 * Writes a handoff if the stored version is the expected one, and moves it between the status sets in the same step.
 * KEYS: handoff hash, queued set, active set, closed set. ARGV: mode ('open' | 'replace'), doc, version, conversation
 * id, since score, status. 'open' keeps an open (queued/active) handoff and returns it; 'replace' needs version - 1.
 */
const WRITE_HANDOFF = `
local current = redis.call('HGET', KEYS[1], 'version')
local status = redis.call('HGET', KEYS[1], 'status')
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
redis.call('HSET', KEYS[1], 'doc', encoded, 'version', version, 'status', ARGV[6])
for i = 2, 4 do redis.call('ZREM', KEYS[i], ARGV[4]) end
local target = ({queued = KEYS[2], active = KEYS[3], closed = KEYS[4]})[ARGV[6]]
redis.call('ZADD', target, ARGV[5], ARGV[4])
return encoded
`;

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliWriteHandoff(handoffKey: string, queuedKey: string, activeKey: string, closedKey: string, ...args: string[]): Result<string | null, Context>;
    }
}

/** Handoffs in Redis, shared by every instance: a hash per conversation and a sorted set per status (by queue time). */
export class RedisHandoffStore implements HandoffStore {
    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
    ) {
        redis.defineCommand('linliWriteHandoff', { numberOfKeys: 4, lua: WRITE_HANDOFF });
    }

    private key(conversationId: string): string {
        return `${this.prefix}handoffs:doc:${conversationId}`;
    }

    private statusKey(status: HandoffStatus): string {
        return `${this.prefix}handoffs:status:${status}`;
    }

    private write(mode: 'open' | 'replace', h: Handoff): Promise<string | null> {
        return guarded('handoff write', () =>
            this.redis.linliWriteHandoff(
                this.key(h.conversationId),
                this.statusKey('queued'),
                this.statusKey('active'),
                this.statusKey('closed'),
                mode,
                JSON.stringify(h),
                String(h.version),
                h.conversationId,
                String(Date.parse(h.since)),
                h.status,
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

    async list(status: HandoffStatus, limit = 200): Promise<Handoff[]> {
        const ids = await guarded('handoff list', () => this.redis.zrange(this.statusKey(status), 0, limit - 1));
        if (ids.length === 0) return [];
        const docs = await guarded('handoff list', () => this.redis.pipeline(ids.map((id) => ['hget', this.key(id), 'doc'])).exec());
        const handoffs = (docs ?? []).flatMap(([, doc]) => (typeof doc === 'string' ? [Handoff.parse(JSON.parse(doc))] : []));
        return status === 'queued' ? handoffs.sort(queueOrder) : handoffs;
    }

    count(status: HandoffStatus): Promise<number> {
        return guarded('handoff count', () => this.redis.zcard(this.statusKey(status)));
    }

    async ping(): Promise<void> {
        await guarded('handoff ping', () => this.redis.ping());
    }
}
