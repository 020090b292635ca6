import type { StoreItems } from 'botbuilder';
import type { PingableStorage } from '../../bot/storage/PingableStorage';
import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';

/** Wraps a store; while `failWrites` is set every write fails as a store that went away mid-turn does (reads still work). */
export class FailingStorage implements PingableStorage {
    readonly kind;
    failWrites = false;

    constructor(private readonly inner: PingableStorage) {
        this.kind = inner.kind;
    }

    read(keys: string[]): Promise<StoreItems> {
        return this.inner.read(keys);
    }

    async write(changes: StoreItems): Promise<void> {
        if (this.failWrites) throw new StorageUnavailableError('state write', new Error('connection lost (test)'));
        return this.inner.write(changes);
    }

    delete(keys: string[]): Promise<void> {
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
