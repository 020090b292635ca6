import type { Redis, Result } from 'ioredis';
import { Ticket, TicketConflictError, TicketStatuses, followUpReadyAt, matchesFilter, type TicketFilter, type TicketStatus } from '../../bot/tickets/Ticket';
import type { TicketStore } from '../../bot/tickets/TicketStore';
import { guarded } from '../storage/StorageUnavailableError';

/** Stands for the id in a new ticket's document until the insert script has numbered it. */
const ID_PLACEHOLDER = '__LINLI_TICKET_ID__';

/**
 * Lua shared by both write scripts: stores a ticket's document and keeps every index in step with it — the status
 * sets (leaving the old one), creation, owner, and the follow-up index (present only with a ready score, see
 * followUpReadyAt). `prefix` is the store's '…tickets:'.
 */
const STORE_TICKET = `
local function store(prefix, id, doc, version, createdScore, followUpScore)
  local docKey = prefix .. 'doc:' .. id
  local t = cjson.decode(doc)
  local old = redis.call('HGET', docKey, 'status')
  if old then redis.call('ZREM', prefix .. 'status:' .. old, id) end
  redis.call('HSET', docKey, 'doc', doc, 'version', version, 'status', t['status'])
  redis.call('ZADD', prefix .. 'status:' .. t['status'], createdScore, id)
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

/** Tickets in Redis: a hash per ticket, sorted sets by creation, owner and status, and a per-day id counter. */
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

    async list(filter: TicketFilter, limit = 200): Promise<Ticket[]> {
        const index = filter.ownerId ? this.key('owner', filter.ownerId) : filter.status ? this.key('status', filter.status) : this.key('created');
        const max = filter.createdTo ? `(${filter.createdTo.getTime()}` : '+inf';
        const min = filter.createdFrom ? String(filter.createdFrom.getTime()) : '-inf';
        const ids = await guarded('ticket list', () => this.redis.zrevrangebyscore(index, max, min));
        const tickets: Ticket[] = [];
        // Fetch in pages so a large month does not become one huge reply.
        for (let i = 0; i < ids.length && tickets.length < limit; i += 100) {
            const page = ids.slice(i, i + 100);
            const pipeline = this.redis.pipeline();
            for (const id of page) pipeline.hget(this.key('doc', id), 'doc');
            const results = (await guarded('ticket list', () => pipeline.exec())) ?? [];
            for (const [, doc] of results) {
                if (typeof doc !== 'string') continue;
                const ticket = Ticket.parse(JSON.parse(doc));
                if (matchesFilter(ticket, filter)) tickets.push(ticket);
            }
        }
        return tickets.slice(0, limit);
    }
}
