import { BROWSER_INSTALL, browserMissing } from '../helpers/browser';
import { isCi } from '../../bot/config';

/**
 * Vitest global setup: when the browser suites cannot run here, says so once for the whole run (not once per file),
 * naming the install command; under CI the run fails instead.
 */
export default function setup(): void {
    const flag = Symbol.for('linli.browserNotice');
    const seen = globalThis as { [flag]?: boolean };
    if (seen[flag]) return;
    seen[flag] = true;
    const missing = browserMissing();
    if (!missing) return;
    if (isCi()) throw new Error(`CI: the browser suites need ${missing}: ${BROWSER_INSTALL}`);
    console.log(`browser suites skipped: ${missing} missing (${BROWSER_INSTALL})`);
}
