import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import { ForwardingStorage } from './ForwardingStorage';

/** Wraps a store; while `failWrites` is set every write fails as a store that went away mid-turn does (reads still work). */
export class FailingStorage extends ForwardingStorage {
    failWrites = false;

    protected async before(operation: 'read' | 'write' | 'delete'): Promise<void> {
        if (operation === 'write' && this.failWrites) throw new StorageUnavailableError('state write', new Error('connection lost (test)'));
    }
}
