import type { PingableStorage } from '../../bot/storage/PingableStorage';
import { ForwardingStorage } from './ForwardingStorage';

/**
 * Wraps a store and makes every call take real time, as a networked store does. The embedded SQLite store answers
 * synchronously, so without this a whole turn fits in one tick and concurrent turns could never interleave.
 */
export class DelayedStorage extends ForwardingStorage {
    constructor(
        inner: PingableStorage,
        private readonly delayMs: number,
    ) {
        super(inner);
    }

    protected async before(): Promise<void> {
        await new Promise((r) => setTimeout(r, this.delayMs * (0.5 + Math.random())));
    }
}
