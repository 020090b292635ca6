import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { isCi } from '../../bot/config';

export const CHROMIUM = '/usr/bin/chromium';
/** What brings the browser suites' needs onto a Debian machine (.ci/run runs it). */
export const BROWSER_INSTALL = 'apt-get install chromium fonts-noto-cjk';

/** True when fontconfig knows a font that covers Chinese (the console's text would render as boxes without one). */
function hasCjkFont(): boolean {
    const fonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
    return fonts.status === 0 && fonts.stdout.trim() !== '';
}

/** What the browser suites lack on this machine ("/usr/bin/chromium and a CJK font"), or null when they can run. */
export function browserMissing(): string | null {
    const missing = [...(existsSync(CHROMIUM) ? [] : [CHROMIUM]), ...(hasCjkFont() ? [] : ['a CJK font'])];
    return missing.length ? missing.join(' and ') : null;
}

/**
 * Whether a browser suite runs here: locally a missing browser or font skips it (the global setup prints the one
 * line saying so); under CI it is an error, so a green run means the console was tested in a browser.
 */
export function browserSuitesRun(): boolean {
    const missing = browserMissing();
    if (missing && isCi()) throw new Error(`CI: the browser suites need ${missing}: ${BROWSER_INSTALL}`);
    return missing === null;
}

/** Debian's Chromium, headless (plus `extraArgs`, e.g. an autoplay policy), as CI installs it (.ci/run); nothing is downloaded. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: ${BROWSER_INSTALL} (.ci/run does)`);
    return chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
    });
}
