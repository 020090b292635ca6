import type { StoreItems } from 'botbuilder';
import type { PingableStorage } from '../../bot/storage/PingableStorage';

/**
 * Wraps a store and makes every call take real time, as a networked store does. The embedded SQLite store answers
 * synchronously, so without this a whole turn fits in one tick and concurrent turns could never interleave.
 */
export class DelayedStorage implements PingableStorage {
    readonly kind;

    constructor(
        private readonly inner: PingableStorage,
        private readonly delayMs: number,
    ) {
        this.kind = inner.kind;
    }

    private async pause(): Promise<void> {
        await new Promise((r) => setTimeout(r, this.delayMs * (0.5 + Math.random())));
    }

    async read(keys: string[]): Promise<StoreItems> {
        await this.pause();
        return this.inner.read(keys);
    }

    async write(changes: StoreItems): Promise<void> {
        await this.pause();
        return this.inner.write(changes);
    }

    async delete(keys: string[]): Promise<void> {
        await this.pause();
        return this.inner.delete(keys);
    }

    ping(): Promise<void> {
        return this.inner.ping();
    }

    sweepExpired(): Promise<number> {
        return this.inner.sweepExpired();
    }

    close(): Promise<void> {
        return this.inner.close();
    }
}
