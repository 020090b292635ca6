import { LockTimeoutError, type TurnLock } from '../locks/TurnLock';
import type { Logger } from '../logger';

/**
 * Work run every so often under a named lock: with the lock in Redis, one instance runs a round at a time and the
 * others skip it. `work` returns how many things it did (for tests and logs).
 */
export class PeriodicRound {
    private timer: NodeJS.Timeout | undefined;

    constructor(
        private readonly name: string,
        private readonly lock: TurnLock,
        private readonly logger: Logger,
        private readonly work: () => Promise<number>,
    ) {}

    start(intervalMs: number): void {
        this.timer = setInterval(() => {
            this.tick().catch((error: unknown) => this.logger.error({ err: error, round: this.name }, 'scheduled round failed'));
        }, intervalMs);
        this.timer.unref();
    }

    stop(): void {
        clearInterval(this.timer);
    }

    /** One round now; 0 when another instance holds the round. */
    async tick(): Promise<number> {
        let release: (() => Promise<void>) | undefined;
        try {
            release = await this.lock.acquire(`scheduler/${this.name}`, 50);
        } catch (error) {
            if (error instanceof LockTimeoutError) return 0; // another instance is running this round
            throw error;
        }
        try {
            return await this.work();
        } finally {
            await release().catch(() => undefined);
        }
    }
}
