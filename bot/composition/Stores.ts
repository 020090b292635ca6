import type { RehearsalStore } from '../rehearsal/RehearsalStore';
import type { StaffStore } from '../staff/StaffStore';
import { RedisStaffStore } from '../../adapters/staff/RedisStaffStore';
import { SqliteStaffStore } from '../../adapters/staff/SqliteStaffStore';
import { openRehearsalStore } from '../../adapters/rehearsals/openRehearsalStore';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisConversationLog } from '../../adapters/directline/RedisConversationLog';
import { SqliteConversationLog } from '../../adapters/directline/SqliteConversationLog';
import { InProcessTurnLock } from '../../adapters/locks/InProcessTurnLock';
import { RedisTurnLock } from '../../adapters/locks/RedisTurnLock';
import { RedisHandoffStore } from '../../adapters/handoffs/RedisHandoffStore';
import { SqliteHandoffStore } from '../../adapters/handoffs/SqliteHandoffStore';
import { RedisReminderStore } from '../../adapters/reminders/RedisReminderStore';
import { SqliteReminderStore } from '../../adapters/reminders/SqliteReminderStore';
import { RedisStorage } from '../../adapters/storage/RedisStorage';
import { SqliteStorage } from '../../adapters/storage/SqliteStorage';
import { RedisExpiringKeys } from '../../adapters/storage/RedisExpiringKeys';
import { SqliteExpiringKeys } from '../../adapters/storage/SqliteExpiringKeys';
import type { ExpiringKeys } from '../storage/ExpiringKeys';
import { RedisTicketStore } from '../../adapters/tickets/RedisTicketStore';
import { SqliteTicketStore } from '../../adapters/tickets/SqliteTicketStore';
import { RedisTranscriptStore } from '../../adapters/transcripts/RedisTranscriptStore';
import { SqliteTranscriptStore } from '../../adapters/transcripts/SqliteTranscriptStore';
import type { Config } from '../config';
import { HandoffFeed } from '../handoff/HandoffFeed';
import type { HandoffStore } from '../handoff/HandoffStore';
import type { TurnLock } from '../locks/TurnLock';
import type { Logger } from '../logger';
import type { ReminderStore } from '../proactive/ReminderStore';
import { conversationTtl, type PingableStorage } from '../storage/PingableStorage';
import type { TicketStore } from '../tickets/TicketStore';
import type { TranscriptStore } from '../transcripts/TranscriptStore';
import type { ConversationLog } from '../webchat/ConversationLog';

/** Stores given instead of the ones the config names (tests). */
export interface StoreOverrides {
    storage?: PingableStorage;
    lock?: TurnLock;
    ticketStore?: TicketStore;
    /** The live feed for agents; otherwise over Redis pub/sub when REDIS_URL is set, in-process if not. */
    feed?: HandoffFeed;
    /** Markers and short-lived values (WeChat retries, access token, customer-service windows). */
    expiringKeys?: ExpiringKeys;
    /** Web chat's conversations (tests give one that fails). */
    conversationLog?: ConversationLog;
}

/**
 * Every store Linli keeps, opened in one place: Redis for all of them when REDIS_URL is set (several instances share
 * it), the embedded SQLite files under DATA_DIR otherwise.
 */
export class Stores {
    private constructor(
        readonly storage: PingableStorage,
        readonly lock: TurnLock,
        readonly tickets: TicketStore,
        readonly handoffs: HandoffStore,
        readonly transcripts: TranscriptStore,
        readonly feed: HandoffFeed,
        readonly reminders: ReminderStore,
        readonly expiringKeys: ExpiringKeys,
        readonly rehearsals: RehearsalStore,
        /** Web chat's conversations and activities (Direct Line), with their pushes across instances. */
        readonly conversationLog: ConversationLog,
        /** Staff accounts, sessions and presence. */
        readonly staff: StaffStore,
        private readonly redis: Redis | undefined,
    ) {}

    /** Opens the stores the config names; with REDIS_URL, waits briefly for the connection. */
    static async open(config: Config, logger: Logger, overrides: StoreOverrides = {}): Promise<Stores> {
        let redis: Redis | undefined;
        if (config.REDIS_URL && !overrides.storage) {
            redis = new Redis(config.REDIS_URL, {
                // Fail fast while Redis is away: the owner hears a polite sentence instead of waiting on a queue.
                enableOfflineQueue: false,
                // Commands issued in the same tick (state reads of one turn, many turns at once) share a round trip.
                enableAutoPipelining: true,
                maxRetriesPerRequest: 1,
                commandTimeout: 2000,
                connectTimeout: 2000,
                retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
            });
            redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
            await waitForReady(redis, 2000).catch((error: Error) => logger.error({ err: error }, 'redis not ready at start-up'));
        }
        const feed = overrides.feed ?? (redis ? HandoffFeed.overRedis(redis, config.REDIS_KEY_PREFIX, logger) : undefined);
        const ttl = conversationTtl(config.CONVERSATION_TTL_SECONDS);
        const storage =
            overrides.storage ??
            (redis ? new RedisStorage(redis, config.REDIS_KEY_PREFIX, ttl) : new SqliteStorage(join(config.DATA_DIR, 'linli.sqlite'), ttl));
        const lock = overrides.lock ?? (redis ? new RedisTurnLock(redis, config.REDIS_KEY_PREFIX, { logger }) : new InProcessTurnLock());
        const tickets = overrides.ticketStore ?? (redis ? new RedisTicketStore(redis, config.REDIS_KEY_PREFIX) : new SqliteTicketStore(join(config.DATA_DIR, 'tickets.sqlite')));
        const handoffs = redis ? new RedisHandoffStore(redis, config.REDIS_KEY_PREFIX) : new SqliteHandoffStore(join(config.DATA_DIR, 'handoffs.sqlite'));
        const transcripts = redis
            ? new RedisTranscriptStore(redis, config.REDIS_KEY_PREFIX, config.CONVERSATION_TTL_SECONDS)
            : new SqliteTranscriptStore(join(config.DATA_DIR, 'transcripts.sqlite'));
        const reminders = redis ? new RedisReminderStore(redis, config.REDIS_KEY_PREFIX) : new SqliteReminderStore(join(config.DATA_DIR, 'reminders.sqlite'));
        const expiringKeys = overrides.expiringKeys ?? (redis ? new RedisExpiringKeys(redis, config.REDIS_KEY_PREFIX) : new SqliteExpiringKeys(join(config.DATA_DIR, 'keys.sqlite')));
        const conversationLog =
            overrides.conversationLog ??
            (redis
            ? new RedisConversationLog(redis, config.REDIS_KEY_PREFIX, config.CONVERSATION_TTL_SECONDS, logger)
            : new SqliteConversationLog(join(config.DATA_DIR, 'webchat.sqlite'), config.CONVERSATION_TTL_SECONDS));
        const staff = redis ? new RedisStaffStore(redis, config.REDIS_KEY_PREFIX) : new SqliteStaffStore(join(config.DATA_DIR, 'staff.sqlite'));
        return new Stores(storage, lock, tickets, handoffs, transcripts, feed ?? HandoffFeed.inProcess(logger), reminders, expiringKeys, openRehearsalStore(redis, config), conversationLog, staff, redis);
    }

    async close(): Promise<void> {
        await this.feed.close();
        await this.storage.close();
        if (this.tickets instanceof SqliteTicketStore) this.tickets.close();
        if (this.handoffs instanceof SqliteHandoffStore) this.handoffs.close();
        if (this.transcripts instanceof SqliteTranscriptStore) this.transcripts.close();
        if (this.reminders instanceof SqliteReminderStore) this.reminders.close();
        if (this.staff instanceof SqliteStaffStore) this.staff.close();
        if (this.expiringKeys instanceof SqliteExpiringKeys) this.expiringKeys.close();
        this.rehearsals.close?.();
        await this.conversationLog.close();
        this.redis?.disconnect();
    }
}

function waitForReady(redis: Redis, timeoutMs: number): Promise<void> {
    if (redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            redis.off('ready', onReady);
            reject(new Error(`redis not ready within ${timeoutMs} ms`));
        }, timeoutMs);
        const onReady = () => {
            clearTimeout(timer);
            resolve();
        };
        redis.once('ready', onReady);
    });
}
