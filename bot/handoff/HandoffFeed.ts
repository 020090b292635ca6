import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger';
import { TranscriptEntry } from '../transcripts/TranscriptStore';
import { Handoff } from './Handoff';

/** What agents' consoles are told as it happens: queue changes and the lines of conversations with people. */
export const FeedEvent = z.discriminatedUnion('type', [
    z.object({ type: z.enum(['queued', 'accepted', 'released', 'timed_out', 'handoff.offered', 'handoff.escalated']), handoff: Handoff }),
    z.object({ type: z.literal('handoff.transferred'), handoff: Handoff, from: z.string(), to: z.string(), note: z.string().nullable() }),
    z.object({ type: z.enum(['message', 'handoff.note']), conversationId: z.string(), entry: TranscriptEntry }),
    z.object({ type: z.literal('agent.presence'), agent: z.object({ name: z.string(), displayName: z.string(), status: z.enum(['online', 'away', 'offline']) }) }),
]);
export type FeedEvent = z.infer<typeof FeedEvent>;

type Listener = (event: FeedEvent) => void;

/**
 * The live feed. On the embedded store it is an in-process emitter; with Redis every instance publishes to one
 * channel and delivers what it receives to its own listeners, so an agent connected to any instance sees the events
 * of all of them.
 */
export class HandoffFeed {
    private readonly local = new EventEmitter();
    private subscriber: Redis | undefined;

    private constructor(
        private readonly logger: Logger,
        private readonly redis?: Redis,
        private readonly channel = '',
    ) {
        // Every open console is a listener; the default cap of 10 would warn at the eleventh agent.
        this.local.setMaxListeners(0);
    }

    static inProcess(logger: Logger): HandoffFeed {
        return new HandoffFeed(logger);
    }

    /**
     * Subscribes on a second connection (a subscribed Redis connection can do nothing else), and again every time that
     * connection becomes ready: ioredis re-subscribes by itself only to channels it once held, and a SUBSCRIBE queued
     * while Redis is away is dropped after the retries, so an instance started while Redis was down would otherwise
     * never hear the feed. `ready` settles once the subscription first holds; `subscribed` says whether it holds now
     * (readiness reports it).
     */
    static overRedis(redis: Redis, prefix: string, logger: Logger): HandoffFeed {
        const feed = new HandoffFeed(logger, redis, `${prefix}handoff-feed`);
        feed.holding = false;
        // No offline queue: the 'ready' handler below sends SUBSCRIBE once the connection can carry it.
        const subscriber = redis.duplicate({ enableOfflineQueue: false, enableAutoPipelining: false, autoResubscribe: false });
        let firstHold!: () => void;
        feed.ready = new Promise<void>((resolve) => (firstHold = resolve));
        subscriber.on('error', (error: Error) => logger.warn({ err: error }, 'handoff feed connection error'));
        subscriber.on('message', (_channel: string, message: string) => feed.deliver(message));
        subscriber.on('close', () => {
            if (feed.holding) logger.warn('handoff feed: subscription lost, re-subscribing on reconnect');
            feed.holding = false;
        });
        subscriber.on('ready', () => {
            subscriber.subscribe(feed.channel).then(
                () => {
                    feed.holding = true;
                    logger.info({ channel: feed.channel }, 'handoff feed subscribed');
                    firstHold();
                },
                (error: unknown) => logger.error({ err: error }, 'handoff feed: not subscribed, retried on reconnect'),
            );
        });
        feed.subscriber = subscriber;
        return feed;
    }

    /** Settles when the feed receives events (at once in-process; once first subscribed over Redis). */
    ready: Promise<void> = Promise.resolve();

    private holding = true;

    /** Whether events published by other instances reach this one now (always in-process). */
    get subscribed(): boolean {
        return this.holding;
    }

    async publish(event: FeedEvent): Promise<void> {
        if (this.redis) {
            await this.redis.publish(this.channel, JSON.stringify(event)).catch((error: Error) => this.logger.warn({ err: error }, 'handoff feed publish failed'));
            return;
        }
        this.local.emit('event', event);
    }

    subscribe(listener: Listener): () => void {
        this.local.on('event', listener);
        return () => this.local.off('event', listener);
    }

    async close(): Promise<void> {
        this.local.removeAllListeners();
        if (!this.subscriber) return;
        // QUIT needs a live connection; otherwise just stop reconnecting.
        if (this.subscriber.status === 'ready') await this.subscriber.quit().catch(() => undefined);
        else this.subscriber.disconnect();
    }

    private deliver(message: string): void {
        let json: unknown;
        try {
            json = JSON.parse(message);
        } catch {
            json = null;
        }
        const parsed = FeedEvent.safeParse(json);
        if (parsed.success) this.local.emit('event', parsed.data);
        else this.logger.warn({ issues: parsed.error.issues.length }, 'handoff feed: unreadable event ignored');
    }
}
