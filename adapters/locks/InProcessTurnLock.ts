import { LockTimeoutError, releaser, type Release, type TurnLock } from '../../bot/locks/TurnLock';

/** A FIFO mutex per key, for a single process on the embedded store. */
export class InProcessTurnLock implements TurnLock {
    private readonly tails = new Map<string, Promise<void>>();

    async acquire(key: string, timeoutMs: number): Promise<Release> {
        const held = this.tails.get(key);
        const previous = held ?? Promise.resolve();
        let releaseMine!: () => void;
        const mine = new Promise<void>((resolve) => (releaseMine = resolve));
        const tail = previous.then(() => mine);
        this.tails.set(key, tail);

        const release = releaser(async () => {
            releaseMine();
            if (this.tails.get(key) === tail) this.tails.delete(key);
        }, held !== undefined);

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
