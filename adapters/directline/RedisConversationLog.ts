import type { Activity } from 'botbuilder';
import type { Redis, Result } from 'ioredis';
import { guarded, StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import { ConversationEndedError } from '../../bot/webchat/ConversationEndedError';
import {
    activityId,
    conversationLife,
    MAX_ACTIVITIES_PER_CONVERSATION,
    type ActivitySet,
    type ConversationLog,
    type PushListener,
    type StoredUpload,
    type WebConversation,
} from '../../bot/webchat/ConversationLog';
import type { Logger } from '../../bot/logger';
import { PushHub } from './PushHub';

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliAppendActivity(numKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
        linliMarkStarted(key: string): Result<[number, string] | null, Context>;
    }
}

/**
 * Numbers, stores and publishes one activity atomically, so the sorted set is in sequence order whatever the
 * concurrency, and no reader sees sequence n+1 before n; with ARGV[5] = 1 it also marks the record: the owner spoke.
 * Returns -1, writing nothing, when the conversation's record is gone (it expired). The member is
 * `<seq>\n<json without id>` (the id is `<conversationId>|<seq>`, put back on read).
 * KEYS: sequence, activities, conversation, channel. ARGV: activity JSON, cap, TTL seconds, conversation id, owner spoke.
 */
const APPEND = `
if ARGV[5] == '1' then
  local doc = redis.call('GET', KEYS[3])
  if not doc then return -1 end
  local conversation = cjson.decode(doc)
  if not conversation.ownerSpoke then
    conversation.ownerSpoke = true
    redis.call('SET', KEYS[3], cjson.encode(conversation))
  end
elseif redis.call('EXISTS', KEYS[3]) == 0 then
  return -1
end
local seq = redis.call('INCR', KEYS[1])
local member = seq .. '\\n' .. ARGV[1]
redis.call('ZADD', KEYS[2], seq, member)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('PUBLISH', KEYS[4], ARGV[4] .. '\\n' .. member)
return seq
`;

/**
 * Sets `started` on the conversation's record unless it is set: one caller of any number at once (on any instance)
 * gets 1. Returns nil for no conversation, else {1 or 0, the record as it now is}. The life is kept (KEEPTTL).
 */
const MARK_STARTED = `
local doc = redis.call('GET', KEYS[1])
if not doc then return nil end
local conversation = cjson.decode(doc)
if conversation.started then return {0, doc} end
conversation.started = true
doc = cjson.encode(conversation)
redis.call('SET', KEYS[1], doc, 'KEEPTTL')
return {1, doc}
`;

/**
 * Direct Line conversations in Redis, shared by every instance: a conversation is a string key, its activities a
 * sorted set by sequence, its uploads hashes, all expiring with it. Appends are published on one channel (and typing
 * with sequence 0), which every instance's subscriber connection hands to its open sockets.
 */
export class RedisConversationLog implements ConversationLog {
    private readonly hub = new PushHub();
    private readonly channel: string;
    private readonly subscriber: Redis;

    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
        private readonly ttlSeconds: number,
        logger: Logger,
    ) {
        this.channel = `${prefix}dl:push`;
        redis.defineCommand('linliAppendActivity', { lua: APPEND });
        redis.defineCommand('linliMarkStarted', { numberOfKeys: 1, lua: MARK_STARTED });
        this.subscriber = redis.duplicate({ enableOfflineQueue: true });
        this.subscriber.on('error', (error: Error) => logger.warn({ err: error }, 'direct line push subscriber error'));
        this.subscriber.on('message', (_channel: string, message: string) => this.onMessage(message));
        void this.subscriber.subscribe(this.channel).catch((error: Error) => logger.error({ err: error }, 'direct line push not subscribed'));
    }

    async create(conversation: WebConversation): Promise<void> {
        const created = await guarded('create conversation', () => this.redis.set(this.key('c', conversation.id), JSON.stringify(conversation), 'EX', this.life(conversation), 'NX'));
        if (created !== 'OK') throw new Error(`conversation ${conversation.id} exists`);
    }

    async get(conversationId: string): Promise<WebConversation | null> {
        const doc = await guarded('read conversation', () => this.redis.get(this.key('c', conversationId)));
        return doc ? (JSON.parse(doc) as WebConversation) : null;
    }

    async markStarted(conversationId: string): Promise<{ conversation: WebConversation; first: boolean } | null> {
        const marked = await guarded('start conversation', () => this.redis.linliMarkStarted(this.key('c', conversationId)));
        return marked ? { conversation: JSON.parse(marked[1]) as WebConversation, first: marked[0] === 1 } : null;
    }

    async append(conversation: WebConversation, activity: Partial<Activity>, options: { ownerSpoke?: boolean } = {}): Promise<Partial<Activity>> {
        const { id: _none, ...rest } = activity;
        const life = this.life(options.ownerSpoke ? { ...conversation, ownerSpoke: true } : conversation);
        const seq = await guarded('append activity', () =>
            this.redis.linliAppendActivity(
                4,
                this.key('s', conversation.id),
                this.key('a', conversation.id),
                this.key('c', conversation.id),
                this.channel,
                JSON.stringify(rest),
                String(MAX_ACTIVITIES_PER_CONVERSATION),
                String(life),
                conversation.id,
                options.ownerSpoke ? '1' : '0',
            ),
        );
        if (seq < 0) throw new ConversationEndedError(conversation.id);
        return { ...rest, id: activityId(conversation.id, seq) };
    }

    async list(conversationId: string, watermark = 0): Promise<ActivitySet> {
        const members = await guarded('list activities', () => this.redis.zrangebyscore(this.key('a', conversationId), `(${watermark}`, '+inf'));
        return RedisConversationLog.set(conversationId, members, watermark);
    }

    async replay(conversationId: string, watermark = 0): Promise<ActivitySet | null> {
        const replies = await guarded('replay activities', () =>
            this.redis.multi().exists(this.key('c', conversationId)).zrangebyscore(this.key('a', conversationId), `(${watermark}`, '+inf').exec(),
        );
        const [[existsError, exists] = [], [listError, members] = []] = replies ?? [];
        if (existsError || listError) throw new StorageUnavailableError('replay activities', existsError ?? listError);
        return exists === 1 ? RedisConversationLog.set(conversationId, members as string[], watermark) : null;
    }

    async pushTransient(conversationId: string, activity: Partial<Activity>): Promise<void> {
        await guarded('push typing', () => this.redis.publish(this.channel, `${conversationId}\n0\n${JSON.stringify(activity)}`));
    }

    listen(conversationId: string, listener: PushListener): () => void {
        return this.hub.listen(conversationId, listener);
    }

    async saveUpload(conversation: WebConversation, upload: StoredUpload): Promise<void> {
        const key = this.key('u', `${conversation.id}:${upload.id}`);
        await guarded('save upload', () =>
            this.redis.multi().hset(key, { contentType: upload.contentType, name: upload.name, data: upload.data }).expire(key, this.life(conversation)).exec(),
        );
    }

    async getUpload(conversationId: string, uploadId: string): Promise<StoredUpload | null> {
        const fields = await guarded('read upload', () => this.redis.hgetallBuffer(this.key('u', `${conversationId}:${uploadId}`)));
        if (!fields.data || !fields.contentType) return null;
        return { id: uploadId, contentType: fields.contentType.toString(), name: fields.name?.toString() ?? 'upload', data: fields.data };
    }

    async ping(): Promise<void> {
        await guarded('ping', () => this.redis.ping());
    }

    /** The command connection belongs to whoever made it; the subscriber is this store's own. */
    async close(): Promise<void> {
        this.subscriber.disconnect();
    }

    /**
     * A published activity, `<conversationId>\n<seq>\n<json without id>`, made into the stream's frame by splicing the
     * id in, not by parsing and writing the JSON again; skipped at once when no socket here holds the conversation.
     */
    private onMessage(message: string): void {
        const newline = message.indexOf('\n');
        if (newline < 0) return;
        const conversationId = message.slice(0, newline);
        if (!this.hub.has(conversationId)) return;
        const second = message.indexOf('\n', newline + 1);
        if (second < 0) return;
        const seq = Number(message.slice(newline + 1, second));
        const body = message.slice(second + 1);
        if (!(seq > 0)) {
            this.hub.deliver(conversationId, { frame: `{"activities":[${body}]}` });
            return;
        }
        // `{}` has nothing after the id; anything else goes on after a comma.
        const rest = body.length > 2 ? `,${body.slice(1)}` : '}';
        const activity = `{"id":${JSON.stringify(activityId(conversationId, seq))}${rest}`;
        this.hub.deliver(conversationId, { watermark: String(seq), frame: `{"activities":[${activity}],"watermark":"${seq}"}` });
    }

    private static set(conversationId: string, members: string[], watermark: number): ActivitySet {
        const activities = members.map((m) => RedisConversationLog.parse(conversationId, m));
        const last = activities.length > 0 ? Number(members.at(-1)?.slice(0, members.at(-1)?.indexOf('\n'))) : watermark;
        return { activities: activities.map((a) => a.activity), watermark: String(last) };
    }

    private static parse(conversationId: string, member: string): { activity: Partial<Activity>; seq: number } {
        const newline = member.indexOf('\n');
        const seq = Number(member.slice(0, newline));
        const body = JSON.parse(member.slice(newline + 1)) as Partial<Activity>;
        return { activity: seq > 0 ? { ...body, id: activityId(conversationId, seq) } : body, seq };
    }

    private life(conversation: WebConversation): number {
        return conversationLife(conversation, this.ttlSeconds);
    }

    private key(kind: 'c' | 's' | 'a' | 'u', id: string): string {
        return `${this.prefix}dl:${kind}:${id}`;
    }
}
