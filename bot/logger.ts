import pino, { type Logger } from 'pino';
import { mayHoldPii, maskPii } from './pii';

export type { Logger };

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
                streamWrite: (line: string) => (mayHoldPii(line) ? maskPii(line) : line),
            },
        },
        destination ?? pino.destination({ fd: 1, sync: false }),
    );
}
