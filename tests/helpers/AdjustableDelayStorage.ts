import type { StoreItems } from 'botbuilder';
import type { PingableStorage } from '../../bot/storage/PingableStorage';

/** Wraps a store; every call takes `delayMs` (0 by default), which a test changes to make turns slow when it wants. */
export class AdjustableDelayStorage implements PingableStorage {
    readonly kind;
    delayMs = 0;

    constructor(private readonly inner: PingableStorage) {
        this.kind = inner.kind;
    }

    private async pause(): Promise<void> {
        if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
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
