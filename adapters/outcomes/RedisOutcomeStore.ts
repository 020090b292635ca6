import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { KnowledgeGap, Outcome, applyOutcomeChange, freshOutcome, type OutcomeChange, type OutcomeRef } from '../../bot/outcomes/Outcome';
import type { OutcomeStore } from '../../bot/outcomes/OutcomeStore';

/** The record of the conversation under way at a time. KEYS: conversation set, documents hash. ARGV: time in ms. */
const FIND = `
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'LIMIT', 0, 1)
if #ids == 0 then return false end
return redis.call('HGET', KEYS[2], ids[1])
`;

/**
 * Writes a record if the stored one still has the version it was read at (0: none), and indexes it by start.
 * KEYS: documents hash, started set, conversation set, owner set. ARGV: id, version read, document, start in ms.
 */
const WRITE = `
local stored = redis.call('HGET', KEYS[1], ARGV[1])
local version = 0
if stored then version = cjson.decode(stored)['version'] end
if version ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
return 1
`;

/** Writers that lose the version race this many times in a row give up (logged by the caller): a statistic, not an owner's words. */
const ATTEMPTS = 5;

/**
 * Outcome records and knowledge gaps in Redis, shared by every instance: documents in a hash, a set by start time for
 * the monthly report and one per conversation to find its current record. A record is read, changed in code (the
 * rules every store shares) and written back only if nobody wrote it meanwhile; otherwise read again.
 */
export class RedisOutcomeStore implements OutcomeStore {
    private readonly docsKey: string;
    private readonly startedKey: string;
    private readonly gapsKey: string;

    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
    ) {
        this.docsKey = `${prefix}outcomes:docs`;
        this.startedKey = `${prefix}outcomes:started`;
        this.gapsKey = `${prefix}outcomes:gaps`;
    }

    private conversationKey(conversationId: string): string {
        return `${this.prefix}outcomes:conversation:${conversationId}`;
    }

    /** Channel and owner ids may hold ':' themselves: the pair is written as JSON so no two owners share a key. */
    private ownerKey(channelId: string, ownerId: string): string {
        return `${this.prefix}outcomes:owner:${JSON.stringify([channelId, ownerId])}`;
    }

    async record(ref: OutcomeRef, at: Date, change: OutcomeChange, startsAt?: Date): Promise<Outcome> {
        const conversationKey = this.conversationKey(ref.conversationId);
        for (let attempt = 1; ; attempt++) {
            const stored = (await guarded('outcome read', () => this.redis.eval(FIND, 2, conversationKey, this.docsKey, at.getTime()))) as string | null;
            let current = stored ? Outcome.parse(JSON.parse(stored)) : null;
            if (current && startsAt && Date.parse(current.startedAt) < startsAt.getTime()) current = null;
            const base = current ?? freshOutcome(randomUUID(), ref, (startsAt ?? at).toISOString());
            const next = applyOutcomeChange(base, change);
            const written = await guarded('outcome write', () =>
                this.redis.eval(WRITE, 4, this.docsKey, this.startedKey, conversationKey, this.ownerKey(ref.channelId, ref.ownerId), next.id, base.version, JSON.stringify(next), Date.parse(next.startedAt)),
            );
            if (written === 1) return next;
            if (attempt >= ATTEMPTS) throw new Error(`outcome of ${ref.conversationId} changed ${ATTEMPTS} times while it was written`);
        }
    }

    async list(from: Date, to: Date): Promise<Outcome[]> {
        const ids = await guarded('outcome read', () => this.redis.zrangebyscore(this.startedKey, from.getTime(), `(${to.getTime()}`));
        if (ids.length === 0) return [];
        const docs = await guarded('outcome read', () => this.redis.hmget(this.docsKey, ...ids));
        return docs.flatMap((doc) => (doc ? [Outcome.parse(JSON.parse(doc))] : []));
    }

    async ofOwner(channelId: string, ownerId: string, limit: number): Promise<Outcome[]> {
        const ids = await guarded('outcome read', () => this.redis.zrevrange(this.ownerKey(channelId, ownerId), 0, limit - 1));
        if (ids.length === 0) return [];
        const docs = await guarded('outcome read', () => this.redis.hmget(this.docsKey, ...ids));
        return docs.flatMap((doc) => (doc ? [Outcome.parse(JSON.parse(doc))] : []));
    }

    async addGap(gap: KnowledgeGap): Promise<void> {
        const g = KnowledgeGap.parse(gap);
        await guarded('knowledge gap write', () => this.redis.zadd(this.gapsKey, Date.parse(g.at), JSON.stringify(g)));
    }

    async gaps(from: Date, to: Date): Promise<KnowledgeGap[]> {
        const docs = await guarded('knowledge gap read', () => this.redis.zrangebyscore(this.gapsKey, from.getTime(), `(${to.getTime()}`));
        return docs.map((doc) => KnowledgeGap.parse(JSON.parse(doc)));
    }
}
