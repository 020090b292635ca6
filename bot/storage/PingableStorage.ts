import type { Storage } from 'botbuilder';

/** A botbuilder Storage that can also say whether its backend answers (for /readyz) and be closed. */
export interface PingableStorage extends Storage {
    readonly kind: 'embedded' | 'redis';
    ping(): Promise<void>;
    /** Reclaims the space of expired items; returns how many went (0 where the backend expires keys itself). */
    sweepExpired(): Promise<number>;
    close(): Promise<void>;
}

/** Time to live per key, in seconds; undefined keeps the key for good. */
export type TtlPolicy = (key: string) => number | undefined;

/** Conversation state expires; user state (persona, profile) and everything else is kept. */
export function conversationTtl(seconds: number): TtlPolicy {
    return (key) => (key.includes('/conversations/') ? seconds : undefined);
}
