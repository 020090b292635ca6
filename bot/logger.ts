import pino, { type Logger } from 'pino';
import { maskPii } from './pii';

export type { Logger };

/** Every phone or ID number pattern maskPii knows has 3 digits, maybe a separator, then 4 more. */
const MAY_HOLD_PII = /\d{3}[- ]?\d{4}/;

/**
 * JSON-lines logger. Every log line passes through `maskPii` as a whole, so a phone number or ID number can not
 * leak through a field someone forgot to mask. Authorization headers are redacted by path.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
    return pino(
        {
            level,
            base: { service: 'linli' },
            redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.token', 'token'], censor: '[redacted]' },
            // ISO times keep the line free of long digit runs, so the cheap test below skips lines with nothing to mask.
            timestamp: pino.stdTimeFunctions.isoTime,
            hooks: {
                streamWrite: (line: string) => (MAY_HOLD_PII.test(line) ? maskPii(line) : line),
            },
        },
        destination ?? pino.destination({ fd: 1, sync: false }),
    );
}
