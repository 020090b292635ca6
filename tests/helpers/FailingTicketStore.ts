import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import type { TicketStore } from '../../bot/tickets/TicketStore';

/**
 * Wraps a ticket store; while `failInserts` is set, new tickets fail as they do when the store is down. Every other
 * call goes to the wrapped store untouched (a proxy, so the wrapper follows the interface as it grows).
 */
export class FailingTicketStore {
    failInserts = false;
    readonly store: TicketStore;

    constructor(inner: TicketStore) {
        const refuses = new Set<PropertyKey>(['insert', 'insertNumbered']);
        this.store = new Proxy(inner, {
            get: (target, property, receiver) => {
                const value: unknown = Reflect.get(target, property, receiver);
                if (typeof value !== 'function') return value;
                return (...args: unknown[]) => {
                    if (this.failInserts && refuses.has(property)) return Promise.reject(new StorageUnavailableError('ticket insert', new Error('ticket store down (test)')));
                    return (value as (...a: unknown[]) => unknown).apply(target, args);
                };
            },
        });
    }
}
