import type { Redis } from 'ioredis';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { StaffAccountRecord } from '../../bot/staff/StaffAccount';
import { PresenceRecord, StaffSession, type StaffStore } from '../../bot/staff/StaffStore';

/** Overwrites a hash field only if it exists (an update must not create an account). */
const REPLACE_IF_EXISTS = "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end return 0";

/**
 * Staff accounts, sessions and presence in Redis, shared by every instance: accounts in one hash; each session a key
 * that expires with it, listed per account so a disabled account's sessions can be ended; presence as two hashes (when
 * each agent was last seen, and what each chose), so a heartbeat and a choice never overwrite each other.
 */
export class RedisStaffStore implements StaffStore {
    private readonly accountsKey: string;
    private readonly seenKey: string;
    private readonly chosenKey: string;

    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
    ) {
        this.accountsKey = `${prefix}staff:accounts`;
        this.seenKey = `${prefix}staff:presence:seen`;
        this.chosenKey = `${prefix}staff:presence:chosen`;
    }

    async createAccount(account: StaffAccountRecord): Promise<boolean> {
        const a = StaffAccountRecord.parse(account);
        return (await guarded('staff account create', () => this.redis.hsetnx(this.accountsKey, a.name, JSON.stringify(a)))) === 1;
    }

    async account(name: string): Promise<StaffAccountRecord | null> {
        const doc = await guarded('staff account read', () => this.redis.hget(this.accountsKey, name));
        return doc ? StaffAccountRecord.parse(JSON.parse(doc)) : null;
    }

    async accounts(): Promise<StaffAccountRecord[]> {
        const all = await guarded('staff account list', () => this.redis.hgetall(this.accountsKey));
        return Object.values(all)
            .map((doc) => StaffAccountRecord.parse(JSON.parse(doc)))
            .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    }

    async updateAccount(account: StaffAccountRecord): Promise<boolean> {
        const a = StaffAccountRecord.parse(account);
        return (await guarded('staff account update', () => this.redis.eval(REPLACE_IF_EXISTS, 1, this.accountsKey, a.name, JSON.stringify(a)))) === 1;
    }

    async createSession(session: StaffSession): Promise<void> {
        const s = StaffSession.parse(session);
        const ttl = Math.max(1, Date.parse(s.expiresAt) - Date.now());
        await guarded('staff session create', () =>
            this.redis.multi().set(this.sessionKey(s.digest), JSON.stringify(s), 'PX', ttl).sadd(this.sessionsOfKey(s.name), s.digest).exec(),
        );
    }

    async session(digest: string, now: Date): Promise<StaffSession | null> {
        const doc = await guarded('staff session read', () => this.redis.get(this.sessionKey(digest)));
        if (!doc) return null;
        const session = StaffSession.parse(JSON.parse(doc));
        // Redis expires the key on its own clock; the caller's clock has the last word.
        return Date.parse(session.expiresAt) > now.getTime() ? session : null;
    }

    async deleteSession(digest: string): Promise<void> {
        const doc = await guarded('staff session read', () => this.redis.get(this.sessionKey(digest)));
        const name = doc ? StaffSession.parse(JSON.parse(doc)).name : null;
        await guarded('staff session delete', () => {
            const multi = this.redis.multi().del(this.sessionKey(digest));
            if (name) multi.srem(this.sessionsOfKey(name), digest);
            return multi.exec();
        });
    }

    async deleteSessionsOf(name: string): Promise<number> {
        const digests = await guarded('staff session list', () => this.redis.smembers(this.sessionsOfKey(name)));
        if (digests.length === 0) return 0;
        const results = await guarded('staff session delete', () =>
            this.redis
                .multi()
                .del(...digests.map((d) => this.sessionKey(d)))
                .del(this.sessionsOfKey(name))
                .exec(),
        );
        return Number(results?.[0]?.[1] ?? 0);
    }

    async touchPresence(name: string, at: Date): Promise<void> {
        await guarded('staff presence write', () => this.redis.hset(this.seenKey, name, at.toISOString()));
    }

    async choosePresence(name: string, chosen: PresenceRecord['chosen']): Promise<void> {
        await guarded('staff presence write', () => this.redis.hset(this.chosenKey, name, chosen));
    }

    async presence(): Promise<PresenceRecord[]> {
        const [seen, chosen] = await guarded('staff presence read', () => Promise.all([this.redis.hgetall(this.seenKey), this.redis.hgetall(this.chosenKey)]));
        const names = [...new Set([...Object.keys(seen), ...Object.keys(chosen)])].sort();
        return names.map((name) => PresenceRecord.parse({ name, chosen: chosen[name] ?? 'online', lastSeenAt: seen[name] ?? null }));
    }

    private sessionKey(digest: string): string {
        return `${this.prefix}staff:session:${digest}`;
    }

    private sessionsOfKey(name: string): string {
        return `${this.prefix}staff:sessions-of:${name}`;
    }
}
