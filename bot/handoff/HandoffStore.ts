import type { Handoff, HandoffStatus } from './Handoff';

/**
 * Handoffs, one per conversation at a time. `open` refuses (returns the existing one) while a conversation already
 * has a queued or active handoff; `replace` writes a new version only if the stored one has the version the caller
 * read (HandoffConflictError otherwise), so two agents can not both accept.
 */
export interface HandoffStore {
    /** Stores `handoff` unless the conversation already has an open one; returns what is stored. */
    open(handoff: Handoff): Promise<Handoff>;
    get(conversationId: string): Promise<Handoff | null>;
    /** Writes `next` (version = previous + 1) if the stored version is still `next.version - 1`. */
    replace(next: Handoff): Promise<void>;
    /** By status, in queue order for queued ones, oldest first otherwise; at most `limit`. */
    list(status: HandoffStatus, limit?: number): Promise<Handoff[]>;
    /** How many there are in a status, however many (for /metrics: no documents read). */
    count(status: HandoffStatus): Promise<number>;
    ping(): Promise<void>;
}
