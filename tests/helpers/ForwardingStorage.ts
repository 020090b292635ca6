import type { StoreItems } from 'botbuilder';
import type { PingableStorage } from '../../bot/storage/PingableStorage';

/**
 * A store that hands every call to another: test wrappers (slow, failing) override `before`, which runs ahead of
 * each read, write and delete, and leave the forwarding here.
 */
export abstract class ForwardingStorage implements PingableStorage {
    readonly kind;

    constructor(protected readonly inner: PingableStorage) {
        this.kind = inner.kind;
    }

    protected abstract before(operation: 'read' | 'write' | 'delete'): Promise<void>;

    async read(keys: string[]): Promise<StoreItems> {
        await this.before('read');
        return this.inner.read(keys);
    }

    async write(changes: StoreItems): Promise<void> {
        await this.before('write');
        return this.inner.write(changes);
    }

    async delete(keys: string[]): Promise<void> {
        await this.before('delete');
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
