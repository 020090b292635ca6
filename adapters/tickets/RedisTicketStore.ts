import type { Redis, Result } from 'ioredis';
import { Ticket, TicketConflictError, TicketStatuses, followUpReadyAt, matchesFilter, type TicketFilter, type TicketStatus } from '../../bot/tickets/Ticket';
import type { TicketStore } from '../../bot/tickets/TicketStore';
import { guarded } from '../storage/StorageUnavailableError';

/** Stands for the id in a new ticket's document until the insert script has numbered it. */
const ID_PLACEHOLDER = '__LINLI_TICKET_ID__';

/**
 * Writes a ticket if its stored version matches, and moves it between the status sets in the same step.
 * KEYS: ticket hash, new status set, created set, owner set. ARGV: expected version ('0' = must not exist), doc, new
 * version, id, createdAt score, status-set prefix, follow-up index, follow-up ready score ('0' = not ready: unindexed).
 */
const WRITE_TICKET = `
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '0' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
local old = redis.call('HGET', KEYS[1], 'status')
if old then redis.call('ZREM', ARGV[6] .. old, ARGV[4]) end
local doc = cjson.decode(ARGV[2])
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'version', ARGV[3], 'status', doc['status'])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[4])
if ARGV[8] ~= '0' then
  redis.call('ZADD', ARGV[7], ARGV[8], ARGV[4])
else
  redis.call('ZREM', ARGV[7], ARGV[4])
end
return 1
`;

/**
 * Numbers and stores a new ticket in one step (the id needs no round trip of its own). KEYS: day sequence, created
 * set, follow-up index. ARGV: key prefix ('…tickets:'), day, doc with the id placeholder, createdAt score, follow-up
 * ready score ('0' = not ready). Returns the id, or false if it is taken.
 */
const INSERT_NUMBERED = `
local n = redis.call('INCR', KEYS[1])
local id = 'TS-' .. ARGV[2] .. '-' .. string.format('%04d', n)
local doc = string.gsub(ARGV[3], '${ID_PLACEHOLDER}', id, 1)
local docKey = ARGV[1] .. 'doc:' .. id
if redis.call('EXISTS', docKey) == 1 then return false end
local t = cjson.decode(doc)
redis.call('HSET', docKey, 'doc', doc, 'version', t['version'], 'status', t['status'])
redis.call('ZADD', ARGV[1] .. 'status:' .. t['status'], ARGV[4], id)
redis.call('ZADD', KEYS[2], ARGV[4], id)
redis.call('ZADD', ARGV[1] .. 'owner:' .. t['ownerId'], ARGV[4], id)
if ARGV[5] ~= '0' then redis.call('ZADD', KEYS[3], ARGV[5], id) end
return id
`;

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliInsertNumberedTicket(sequenceKey: string, createdKey: string, followUpsKey: string, ...args: string[]): Result<string | null, Context>;
        linliWriteTicket(ticketKey: string, statusKey: string, createdKey: string, ownerKey: string, ...args: string[]): Result<number, Context>;
    }
}

/** Tickets in Redis: a hash per ticket, sorted sets by creation, owner and status, and a per-day id counter. */
export class RedisTicketStore implements TicketStore {
    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
    ) {
        redis.defineCommand('linliWriteTicket', { numberOfKeys: 4, lua: WRITE_TICKET });
        redis.defineCommand('linliInsertNumberedTicket', { numberOfKeys: 3, lua: INSERT_NUMBERED });
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
                this.key('status', t.status),
                this.key('created'),
                this.key('owner', t.ownerId),
                String(expectedVersion),
                JSON.stringify(t),
                String(t.version),
                t.id,
                String(Date.parse(t.createdAt)),
                this.key('status', ''),
                this.key('follow-ups'),
                String(followUpReadyAt(t) ?? 0),
            ),
        );
        if (ok !== 1) throw new TicketConflictError(t.id);
    }

    insert(ticket: Ticket): Promise<void> {
        return this.write(ticket, 0);
    }

    async insertNumbered(day: string, draft: Ticket): Promise<Ticket> {
        const t = Ticket.parse(draft);
        const id = await guarded('ticket insert', () =>
            this.redis.linliInsertNumberedTicket(
                this.key('seq', day),
                this.key('created'),
                this.key('follow-ups'),
                this.key(''),
                day,
                JSON.stringify({ ...t, id: ID_PLACEHOLDER }),
                String(Date.parse(t.createdAt)),
                String(followUpReadyAt(t) ?? 0),
            ),
        );
        if (!id) throw new TicketConflictError(`TS-${day}-?`);
        return { ...t, id };
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
