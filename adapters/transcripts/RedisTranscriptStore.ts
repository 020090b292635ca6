import type { Redis } from 'ioredis';
import { MAX_TRANSCRIPT_ENTRIES, TranscriptEntry, type TranscriptStore } from '../../bot/transcripts/TranscriptStore';
import { guarded } from '../storage/StorageUnavailableError';

/** Transcripts in Redis: a capped list per conversation, expiring with the conversation state. */
export class RedisTranscriptStore implements TranscriptStore {
    constructor(
        private readonly redis: Redis,
        private readonly prefix: string,
        private readonly ttlSeconds: number,
    ) {}

    private key(conversationId: string): string {
        return `${this.prefix}transcript:${conversationId}`;
    }

    async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
        if (entries.length === 0) return;
        const key = this.key(conversationId);
        // One MULTI: the list never shows half a turn, and the cap and expiry move with it.
        await guarded('transcript append', () =>
            this.redis
                .multi()
                .rpush(key, ...entries.map((e) => JSON.stringify(e)))
                .ltrim(key, -MAX_TRANSCRIPT_ENTRIES, -1)
                .expire(key, this.ttlSeconds)
                .exec(),
        );
    }

    async read(conversationId: string, limit = MAX_TRANSCRIPT_ENTRIES): Promise<TranscriptEntry[]> {
        const lines = await guarded('transcript read', () => this.redis.lrange(this.key(conversationId), -limit, -1));
        return lines.map((line) => TranscriptEntry.parse(JSON.parse(line)));
    }
}
