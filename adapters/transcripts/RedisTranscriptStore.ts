import type { Redis, Result } from 'ioredis';
import { MAX_TRANSCRIPT_ENTRIES, readTranscriptLines, type TranscriptEntry, type TranscriptStore } from '../../bot/transcripts/TranscriptStore';
import { guarded } from '../../bot/storage/StorageUnavailableError';

/** Appends lines, caps the list and renews its expiry in one step. KEYS: list. ARGV: cap, ttl seconds, lines… */
const APPEND = `
redis.call('RPUSH', KEYS[1], unpack(ARGV, 3))
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

declare module 'ioredis' {
    interface RedisCommander<Context> {
        linliAppendTranscript(key: string, ...args: string[]): Result<number, Context>;
    }
}

/**
 * Transcripts in Redis: a capped list per conversation, expiring with the conversation state. Written every turn,
 * so one script call rather than a MULTI of five commands.
 */
export class RedisTranscriptStore implements TranscriptStore {
    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
        private readonly ttlSeconds: number,
    ) {
        redis.defineCommand('linliAppendTranscript', { numberOfKeys: 1, lua: APPEND });
    }

    private key(conversationId: string): string {
        return `${this.prefix}transcript:${conversationId}`;
    }

    async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
        if (entries.length === 0) return;
        // One script: the list never shows half a turn, and the cap and expiry move with it.
        await guarded('transcript append', () =>
            this.redis.linliAppendTranscript(this.key(conversationId), String(MAX_TRANSCRIPT_ENTRIES), String(this.ttlSeconds), ...entries.map((e) => JSON.stringify(e))),
        );
    }

    async read(conversationId: string, limit = MAX_TRANSCRIPT_ENTRIES): Promise<TranscriptEntry[]> {
        const lines = await guarded('transcript read', () => this.redis.lrange(this.key(conversationId), -limit, -1));
        return readTranscriptLines(lines);
    }
}
