import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type { Logger } from 'pino';
import { guarded } from '../../bot/storage/StorageUnavailableError';
import { LockTimeoutError, releaser, type Release, type TurnLock } from '../../bot/locks/TurnLock';

const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
// Compare-and-pexpire: a holder whose lease ran out (and was taken by someone else) must not extend the new one.
const RENEW_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * A lease outlives whatever ended its turn without a release (the instance died, or Redis did and came back from its
 * AOF with the key): 5 s bounds how long a conversation stays blocked then, well within the 10 s in which an owner
 * must be answered after a Redis restart.
 */
const LEASE_MS = 5_000;
/** Renewed three times a lease, so one late or lost renewal (a 2 s command timeout) does not let the lease lapse. */
const RENEW_EVERY_MS = 1_500;

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliReleaseLock(key: string, token: string): Result<number, Context>;
        linliRenewLock(key: string, token: string, leaseMs: number): Result<number, Context>;
    }
}

export interface RedisTurnLockOptions {
    leaseMs?: number;
    renewEveryMs?: number;
    /** Where a failed or refused renewal is told (it never fails the turn). */
    logger?: Pick<Logger, 'warn'>;
    sleep?: (ms: number) => Promise<void>;
}

/**
 * A lease per conversation in Redis (SET NX PX with a random token), shared by every instance. The lease is short and
 * renewed while its holder runs, so a long turn keeps it and an abandoned one frees it within seconds; only the
 * holder's token can renew or release it.
 */
export class RedisTurnLock implements TurnLock {
    private readonly leaseMs: number;
    private readonly renewEveryMs: number;
    private readonly logger: Pick<Logger, 'warn'> | undefined;
    private readonly sleep: (ms: number) => Promise<void>;

    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
        options: RedisTurnLockOptions = {},
    ) {
        this.leaseMs = options.leaseMs ?? LEASE_MS;
        this.renewEveryMs = options.renewEveryMs ?? Math.min(RENEW_EVERY_MS, Math.max(1, Math.floor(this.leaseMs / 3)));
        this.logger = options.logger;
        this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
        redis.defineCommand('linliReleaseLock', { numberOfKeys: 1, lua: RELEASE_IF_OWNER });
        redis.defineCommand('linliRenewLock', { numberOfKeys: 1, lua: RENEW_IF_OWNER });
    }

    async acquire(key: string, timeoutMs: number): Promise<Release> {
        const lockKey = `${this.prefix}lock:turn:${key}`;
        const token = randomUUID();
        const deadline = Date.now() + timeoutMs;
        let wait = 2;
        let attempts = 0;
        for (;;) {
            attempts += 1;
            const ok = await guarded('lock', () => this.redis.set(lockKey, token, 'PX', this.leaseMs, 'NX'));
            if (ok === 'OK') break;
            if (Date.now() + wait > deadline) throw new LockTimeoutError(key, timeoutMs);
            await this.sleep(wait + Math.random() * wait);
            wait = Math.min(wait * 2, 50);
        }
        const renewal = this.keepRenewing(key, lockKey, token);
        let released = false;
        return releaser(async () => {
            if (released) return;
            released = true;
            clearInterval(renewal);
            await this.redis.linliReleaseLock(lockKey, token);
        }, attempts > 1);
    }

    /** Extends the lease while the turn runs; a failure is logged and retried at the next tick, never thrown. */
    private keepRenewing(key: string, lockKey: string, token: string): NodeJS.Timeout {
        const timer = setInterval(() => {
            this.redis.linliRenewLock(lockKey, token, this.leaseMs).then(
                (renewed) => {
                    if (renewed === 1) return;
                    // Someone else holds it now (our lease lapsed, e.g. Redis was away): renewing is pointless.
                    clearInterval(timer);
                    this.logger?.warn({ lock: key }, 'turn lock lease lost before the turn ended');
                },
                (error: unknown) => this.logger?.warn({ err: error, lock: key }, 'turn lock renewal failed'),
            );
        }, this.renewEveryMs);
        // A forgotten release must not keep the process alive; the lease then simply lapses.
        timer.unref();
        return timer;
    }
}
