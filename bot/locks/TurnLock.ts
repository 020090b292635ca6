/**
 * Releases a lock taken with `TurnLock.acquire`; safe to call more than once. `contended` says whether someone else
 * held the lock when it was asked for: if not, anything read right after asking (on the same store connection) was
 * read under the lock.
 */
export type Release = (() => Promise<void>) & { readonly contended: boolean };

export function releaser(release: () => Promise<void>, contended: boolean): Release {
    return Object.assign(release, { contended });
}

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
