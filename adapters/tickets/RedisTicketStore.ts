import type { Redis, Result } from 'ioredis';
import { Ticket, TicketConflictError, TicketStatuses, followUpReadyAt, matchesFilter, type TicketFilter, type TicketPosition, type TicketStatus } from '../../bot/tickets/Ticket';
import { compareIds } from '../../bot/paging/compareIds';
import type { TicketStore } from '../../bot/tickets/TicketStore';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/** Stands for the id in a new ticket's document until the insert script has numbered it. */
const ID_PLACEHOLDER = '__LINLI_TICKET_ID__';

/**
 * Lua shared by both write scripts: stores a ticket's document and keeps every index in step with it — the status,
 * kind and category sets (leaving the old ones), creation, owner, and the follow-up index (present only with a ready
 * score, see followUpReadyAt). `prefix` is the store's '…tickets:'.
 */
const STORE_TICKET = `
local function store(prefix, id, doc, version, createdScore, followUpScore)
  local docKey = prefix .. 'doc:' .. id
  local t = cjson.decode(doc)
  local old = redis.call('HMGET', docKey, 'status', 'doc')
  if old[1] then redis.call('ZREM', prefix .. 'status:' .. old[1], id) end
  if old[2] then
    local previous = cjson.decode(old[2])
    redis.call('ZREM', prefix .. 'kind:' .. previous['kind'], id)
    redis.call('ZREM', prefix .. 'category:' .. previous['category'], id)
  end
  redis.call('HSET', docKey, 'doc', doc, 'version', version, 'status', t['status'])
  redis.call('ZADD', prefix .. 'status:' .. t['status'], createdScore, id)
  redis.call('ZADD', prefix .. 'kind:' .. t['kind'], createdScore, id)
  redis.call('ZADD', prefix .. 'category:' .. t['category'], createdScore, id)
  redis.call('ZADD', prefix .. 'created', createdScore, id)
  redis.call('ZADD', prefix .. 'owner:' .. t['ownerId'], createdScore, id)
  if followUpScore ~= '0' then
    redis.call('ZADD', prefix .. 'follow-ups', followUpScore, id)
  else
    redis.call('ZREM', prefix .. 'follow-ups', id)
  end
end
`;

/**
 * Writes a ticket if its stored version matches. KEYS: the ticket hash. ARGV: prefix, expected version ('0' = must
 * not exist), doc, new version, id, createdAt score, follow-up ready score ('0' = not ready).
 */
const WRITE_TICKET = `${STORE_TICKET}
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[2] == '0' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
store(ARGV[1], ARGV[5], ARGV[3], ARGV[4], ARGV[6], ARGV[7])
return 1
`;

/**
 * Numbers and stores a new ticket in one step (the id needs no round trip of its own). KEYS: the day's sequence, the
 * idempotency key's key ('' = none). ARGV: prefix, day, doc with the id placeholder, createdAt score, follow-up ready
 * score. Returns {id} for a new ticket, {id, doc} for the one the idempotency key opened before, or false if the id
 * is taken. One script, so two retries of one step can not both miss the key.
 */
const INSERT_NUMBERED = `${STORE_TICKET}
if KEYS[2] ~= '' then
  local earlier = redis.call('GET', KEYS[2])
  if earlier then
    local doc = redis.call('HGET', ARGV[1] .. 'doc:' .. earlier, 'doc')
    if doc then return {earlier, doc} end
  end
end
local n = redis.call('INCR', KEYS[1])
local id = 'TS-' .. ARGV[2] .. '-' .. string.format('%04d', n)
if redis.call('EXISTS', ARGV[1] .. 'doc:' .. id) == 1 then return false end
local doc = string.gsub(ARGV[3], '${ID_PLACEHOLDER}', id, 1)
store(ARGV[1], id, doc, tostring(cjson.decode(doc)['version']), ARGV[4], ARGV[5])
if KEYS[2] ~= '' then redis.call('SET', KEYS[2], id) end
return {id}
`;

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliInsertNumberedTicket(sequenceKey: string, idempotencyKey: string, ...args: string[]): Result<[string, string?] | null, Context>;
        linliWriteTicket(ticketKey: string, ...args: string[]): Result<number, Context>;
    }
}

/** A member of an index and its score (the ticket's creation time in ms). */
interface IndexEntry {
    id: string;
    score: number;
}

/** Ids read per step when a page or a count walks an index (one reply stays small however large the index is). */
const WALK_CHUNK = 100;
/** Marks that the kind and category sets hold tickets written before they existed (see indexKindsAndCategories). */
const KIND_INDEX_FLAG = 'kind-category';

/**
 * Tickets in Redis: a hash per ticket, sorted sets (scored by creation time) by creation, owner, status, kind and
 * category, and a per-day id counter.
 */
export class RedisTicketStore implements TicketStore {
    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
    ) {
        redis.defineCommand('linliWriteTicket', { numberOfKeys: 1, lua: WRITE_TICKET });
        redis.defineCommand('linliInsertNumberedTicket', { numberOfKeys: 2, lua: INSERT_NUMBERED });
    }

    private key(...parts: string[]): string {
        return `${this.prefix}tickets:${parts.join(':')}`;
    }

    async nextId(day: string): Promise<string> {
        const counter = this.key('seq', day);
        const n = await guarded('ticket id', () => this.redis.incr(counter));
        return `TS-${day}-${String(n).padStart(4, '0')}`;
    }

    private async write(ticket: Ticket, expectedVersion: number): Promise<void> {
        const t = Ticket.parse(ticket);
        const ok = await guarded('ticket write', () =>
            this.redis.linliWriteTicket(
                this.key('doc', t.id),
                this.key(''),
                String(expectedVersion),
                JSON.stringify(t),
                String(t.version),
                t.id,
                String(Date.parse(t.createdAt)),
                String(followUpReadyAt(t) ?? 0),
            ),
        );
        if (ok !== 1) throw new TicketConflictError(t.id);
    }

    insert(ticket: Ticket): Promise<void> {
        return this.write(ticket, 0);
    }

    async insertNumbered(day: string, draft: Ticket, idempotencyKey?: string): Promise<Ticket> {
        const t = Ticket.parse(draft);
        const result = await guarded('ticket insert', () =>
            this.redis.linliInsertNumberedTicket(
                this.key('seq', day),
                idempotencyKey === undefined ? '' : this.key('idempotency', idempotencyKey),
                this.key(''),
                day,
                JSON.stringify({ ...t, id: ID_PLACEHOLDER }),
                String(Date.parse(t.createdAt)),
                String(followUpReadyAt(t) ?? 0),
            ),
        );
        if (!result) throw new TicketConflictError(`TS-${day}-?`);
        const [id, earlier] = result;
        return earlier === undefined ? { ...t, id } : Ticket.parse(JSON.parse(earlier));
    }

    replace(ticket: Ticket, expectedVersion: number): Promise<void> {
        return this.write(ticket, expectedVersion);
    }

    async get(id: string): Promise<Ticket | null> {
        const doc = await guarded('ticket read', () => this.redis.hget(this.key('doc', id), 'doc'));
        return doc ? Ticket.parse(JSON.parse(doc)) : null;
    }

    async countByStatus(): Promise<Record<TicketStatus, number>> {
        const pipeline = this.redis.pipeline();
        for (const status of TicketStatuses.options) pipeline.zcard(this.key('status', status));
        const results = (await guarded('ticket counts', () => pipeline.exec())) ?? [];
        return Object.fromEntries(TicketStatuses.options.map((s, i) => [s, Number(results[i]?.[1] ?? 0)])) as Record<TicketStatus, number>;
    }

    async dueFollowUps(now: Date, limit: number): Promise<Ticket[]> {
        const index = this.key('follow-ups');
        const ids = await guarded('ticket follow-ups', () => this.redis.zrangebyscore(index, '-inf', String(now.getTime()), 'LIMIT', 0, limit));
        const tickets = (await Promise.all(ids.map((id) => this.get(id)))).filter((t): t is Ticket => t !== null);
        // Entries an older build indexed (due but not yet replied) leave the index the first time they are met.
        const stale = tickets.filter((t) => followUpReadyAt(t) === null).map((t) => t.id);
        if (stale.length > 0) await guarded('ticket follow-ups', () => this.redis.zrem(index, ...stale));
        return tickets.filter((t) => followUpReadyAt(t) !== null);
    }

    /**
     * Walks one index newest first from `after`, reading documents a chunk at a time and keeping those that match
     * the whole filter, until `limit` are found (or, for a count, to the end). The index is the filter's narrowest
     * set, so an ordinary page reads about `limit` documents.
     */
    private async walk(filter: TicketFilter, limit: number, after: TicketPosition | null, keep: (t: Ticket) => void): Promise<void> {
        await this.indexKindsAndCategories();
        const index = this.indexFor(filter);
        const min = filter.createdFrom ? String(filter.createdFrom.getTime()) : '-inf';
        let position = after;
        let found = 0;
        while (found < limit) {
            const entries: IndexEntry[] = await guarded('ticket list', () => this.entriesAfter(index, position, filter.createdTo?.getTime() ?? null, min));
            if (entries.length === 0) return;
            const pipeline = this.redis.pipeline();
            for (const { id } of entries) pipeline.hget(this.key('doc', id), 'doc');
            const results = (await guarded('ticket list', () => pipeline.exec())) ?? [];
            for (const [, doc] of results) {
                if (typeof doc !== 'string') continue;
                const ticket = Ticket.parse(JSON.parse(doc));
                if (!matchesFilter(ticket, filter) || found >= limit) continue;
                keep(ticket);
                found++;
            }
            const last = entries[entries.length - 1]!;
            position = { createdAt: last.score, id: last.id };
        }
    }

    /** One keyset step down an index: ids sorting after `position` (equal times by id, highest first), at most a chunk. */
    private async entriesAfter(index: string, position: TicketPosition | null, before: number | null, min: string): Promise<IndexEntry[]> {
        const bound = Math.min(position?.createdAt ?? Infinity, before ?? Infinity);
        const max = bound === Infinity ? '+inf' : `(${bound}`;
        const withScores = (flat: string[]) => Array.from({ length: flat.length / 2 }, (_, i) => ({ id: flat[2 * i]!, score: Number(flat[2 * i + 1]) }));
        const lower = this.redis.zrevrangebyscore(index, max, min, 'WITHSCORES', 'LIMIT', 0, WALK_CHUNK).then(withScores);
        if (!position || (before !== null && position.createdAt >= before)) return lower;
        const at = String(position.createdAt);
        const ties = (await this.redis.zrangebyscore(index, at, at))
            .filter((id) => compareIds(id, position.id) < 0)
            .sort((a, b) => compareIds(b, a))
            .map((id) => ({ id, score: position.createdAt }));
        return [...ties, ...(await lower)];
    }

    private indexFor(filter: TicketFilter): string {
        if (filter.ownerId) return this.key('owner', filter.ownerId);
        if (filter.status) return this.key('status', filter.status);
        if (filter.kind) return this.key('kind', filter.kind);
        if (filter.category) return this.key('category', filter.category);
        return this.key('created');
    }

    /**
     * Tickets written before the kind and category sets existed are added to them once (idempotent, so instances
     * starting together may both do it), a chunk at a time, before any list relies on those sets.
     */
    private kindIndexReady: Promise<void> | null = null;
    private indexKindsAndCategories(): Promise<void> {
        // A failed attempt (Redis down) is tried again by the next list.
        this.kindIndexReady ??= this.backfillKindsAndCategories().catch((error: unknown) => {
            this.kindIndexReady = null;
            throw error;
        });
        return this.kindIndexReady;
    }

    private async backfillKindsAndCategories(): Promise<void> {
        const flags = this.key('indexes');
        if (await guarded('ticket index', () => this.redis.hget(flags, KIND_INDEX_FLAG))) return;
        let position: TicketPosition | null = null;
        for (;;) {
            const after: TicketPosition | null = position;
            const entries: IndexEntry[] = await guarded('ticket index', () => this.entriesAfter(this.key('created'), after, null, '-inf'));
            if (entries.length === 0) break;
            const docs = (await guarded('ticket index', () => this.redis.pipeline(entries.map(({ id }) => ['hget', this.key('doc', id), 'doc'])).exec())) ?? [];
            const pipeline = this.redis.pipeline();
            entries.forEach(({ id, score }, i) => {
                const doc = docs[i]?.[1];
                if (typeof doc !== 'string') return;
                const t = Ticket.parse(JSON.parse(doc));
                pipeline.zadd(this.key('kind', t.kind), score, id).zadd(this.key('category', t.category), score, id);
            });
            await guarded('ticket index', () => pipeline.exec());
            const last = entries[entries.length - 1]!;
            position = { createdAt: last.score, id: last.id };
        }
        await guarded('ticket index', () => this.redis.hset(flags, KIND_INDEX_FLAG, '1'));
    }

    async list(filter: TicketFilter, limit = 200, after: TicketPosition | null = null): Promise<Ticket[]> {
        const tickets: Ticket[] = [];
        await this.walk(filter, limit, after, (t) => tickets.push(t));
        return tickets;
    }

    async count(filter: TicketFilter): Promise<number> {
        const dimensions = [filter.ownerId, filter.status, filter.kind, filter.category].filter((d) => d !== undefined).length;
        if (dimensions <= 1) {
            // One set says it all: count its scores in the creation range, no documents read.
            await this.indexKindsAndCategories();
            const min = filter.createdFrom ? String(filter.createdFrom.getTime()) : '-inf';
            const max = filter.createdTo ? `(${filter.createdTo.getTime()}` : '+inf';
            return guarded('ticket count', () => this.redis.zcount(this.indexFor(filter), min, max));
        }
        // Several filters at once (rare: the console sends one): walk the narrowest set.
        let n = 0;
        await this.walk(filter, Number.POSITIVE_INFINITY, null, () => n++);
        return n;
    }
}
