import type { KnowledgeGap, Outcome, OutcomeChange, OutcomeRef } from './Outcome';

/**
 * Conversation outcome records and knowledge gaps: SQLite under DATA_DIR, or Redis. Both pass
 * tests/helpers/outcomeStoreConformance.ts.
 */
export interface OutcomeStore {
    /**
     * Folds `change` into the record of the conversation that was under way at `at` (the latest one started by then),
     * creating it (started at `at`) when there is none. With `startsAt` the change begins a conversation: a record
     * started before `startsAt` belongs to an earlier one, and a new record is begun. Returns the record as stored.
     */
    record(ref: OutcomeRef, at: Date, change: OutcomeChange, startsAt?: Date): Promise<Outcome>;
    /** Records started within [from, to), oldest first. */
    list(from: Date, to: Date): Promise<Outcome[]>;
    /** One owner's conversations (owners are told apart by channel and id together), newest first, at most `limit`. */
    ofOwner(channelId: string, ownerId: string, limit: number): Promise<Outcome[]>;
    addGap(gap: KnowledgeGap): Promise<void>;
    /** Gaps within [from, to), oldest first. */
    gaps(from: Date, to: Date): Promise<KnowledgeGap[]>;
}
