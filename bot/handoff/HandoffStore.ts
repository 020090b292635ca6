import type { Handoff, HandoffPosition, HandoffStatus } from './Handoff';

/** How many handoffs of a status stand at each priority (every priority present, 0 when none). */
export type PriorityCounts = Record<'1' | '2' | '3' | '4' | '5', number>;

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
    /**
     * By status in queue order (comparePositions), at most `limit`, starting after `after` (a keyset: handoffs that
     * sort after it, whatever was added or removed before it since).
     */
    page(status: HandoffStatus, limit: number, after: HandoffPosition | null): Promise<Handoff[]>;
    /** How many there are in a status, however many (for /metrics: no documents read). */
    count(status: HandoffStatus): Promise<number>;
    /** How many of a status sort before `position` (the owners ahead of one in the queue); no documents read. */
    countBefore(status: HandoffStatus, position: HandoffPosition): Promise<number>;
    countsByPriority(status: HandoffStatus): Promise<PriorityCounts>;
    ping(): Promise<void>;
}
