/** Releases a lock taken with `TurnLock.acquire`; safe to call more than once. */
export type Release = () => Promise<void>;

/**
 * Serialises turns of one conversation, so two messages arriving at once do not read the same state and overwrite
 * each other's writes.
 */
export interface TurnLock {
    acquire(key: string, timeoutMs: number): Promise<Release>;
}

export class LockTimeoutError extends Error {
    constructor(key: string, timeoutMs: number) {
        super(`turn lock for "${key}" not acquired within ${timeoutMs} ms`);
        this.name = 'LockTimeoutError';
    }
}
