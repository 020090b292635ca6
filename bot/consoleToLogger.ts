import { format } from 'node:util';
import type { Logger } from './logger';

/**
 * Sends what libraries print with `console` through pino instead: botbuilder and botframework-connector print every
 * rejected token (a multi-line stack trace, or the signing key) to stderr, outside the masking logger and outside
 * the JSON lines operators read. Errors libraries print are their view of a request they refused, so they are
 * logged at warn, each as one line.
 */
export function consoleToLogger(target: Pick<Console, 'error' | 'warn' | 'info' | 'log' | 'debug'>, logger: Logger): void {
    const to =
        (level: 'warn' | 'info' | 'debug') =>
        (...args: unknown[]): void => {
            const [first, ...rest] = args;
            if (first instanceof Error) logger[level]({ err: first, source: 'console' }, rest.length > 0 ? format(...rest) : first.message);
            else logger[level]({ source: 'console' }, format(...args));
        };
    target.error = to('warn');
    target.warn = to('warn');
    target.info = to('info');
    target.log = to('info');
    target.debug = to('debug');
}
