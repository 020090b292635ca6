import type { Logger } from './logger';
import type { Metrics } from './Metrics';

/** The part of `process` this needs (tests give their own emitter). */
export interface RejectionSource {
    on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/**
 * No unhandled rejection ends the process: Node's default is to crash, so one library promise nobody awaited (as
 * botbuilder's typing indicator had) took every owner's conversation down with it. Each one is logged (pino, so
 * masked, one line) and counted as linli_errors_total{kind="unhandled_rejection"}, and the process goes on.
 */
export function survivesUnhandledRejections(source: RejectionSource, logger: Logger, metrics: Metrics): void {
    source.on('unhandledRejection', (reason: unknown) => {
        metrics.errors.inc({ kind: 'unhandled_rejection' });
        logger.error({ err: reason }, 'unhandled promise rejection (the process carries on)');
    });
}
