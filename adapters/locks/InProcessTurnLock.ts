import { LockTimeoutError, type Release, type TurnLock } from './TurnLock';

/** A FIFO mutex per key, for a single process on the embedded store. */
export class InProcessTurnLock implements TurnLock {
    private readonly tails = new Map<string, Promise<void>>();

    async acquire(key: string, timeoutMs: number): Promise<Release> {
        const previous = this.tails.get(key) ?? Promise.resolve();
        let releaseMine!: () => void;
        const mine = new Promise<void>((resolve) => (releaseMine = resolve));
        const tail = previous.then(() => mine);
        this.tails.set(key, tail);

        const release: Release = async () => {
            releaseMine();
            if (this.tails.get(key) === tail) this.tails.delete(key);
        };

        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
        const outcome = await Promise.race([previous.then(() => 'acquired' as const), timedOut]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
            // Our slot stays in the chain; releasing it now lets the holders queued behind us proceed in order.
            await release();
            throw new LockTimeoutError(key, timeoutMs);
        }
        return release;
    }
}
