import { ForwardingStorage } from './ForwardingStorage';

/** Wraps a store; every call takes `delayMs` (0 by default), which a test changes to make turns slow when it wants. */
export class AdjustableDelayStorage extends ForwardingStorage {
    delayMs = 0;

    protected async before(): Promise<void> {
        if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    }
}
