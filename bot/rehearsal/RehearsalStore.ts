import type { TurnLock } from '../locks/TurnLock';
import type { Rehearsal } from './Rehearsal';

/** Rehearsals, in SQLite under DATA_DIR or in Redis (adapters/rehearsals/), the same behaviour checked by one suite. */
export interface RehearsalStore {
    /** Writes a rehearsal (new, or its next state). */
    save(rehearsal: Rehearsal): Promise<void>;
    get(id: string): Promise<Rehearsal | null>;
    /** Newest first; only one trainee's when named; at most `limit`. */
    list(filter: { trainee?: string }, limit: number): Promise<Rehearsal[]>;
    /** Shared by every instance when the store is (Redis): one rehearsal's turns are then taken in order across them. */
    readonly lock: TurnLock | null;
    close?(): void;
}
