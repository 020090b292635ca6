import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../bot/paths';

/** Where writing to stderr is allowed: a process that failed to start, before its logger exists. */
const START_UP_FAILURES = new Set(['bot/index.ts', 'adapters/console/chat.ts', 'adapters/console/rehearse.ts']);

function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const path = join(dir, e.name);
        if (e.isDirectory()) return sources(path);
        return /\.(ts|cjs|js)$/.test(e.name) ? [path] : [];
    });
}

describe('logging', () => {
    it('goes through pino only (masked): no console.* or stderr writes in bot/, dialogs/, adapters/', () => {
        const files = ['bot', 'dialogs', 'adapters'].flatMap((dir) => sources(join(PROJECT_ROOT, dir)));
        expect(files.length).toBeGreaterThan(50);
        const offending = files.flatMap((file) => {
            const name = relative(PROJECT_ROOT, file);
            const text = readFileSync(file, 'utf8');
            const uses = [...text.matchAll(/\bconsole\.(?:log|info|warn|error|debug|trace|dir)\b|\bprocess\.stderr\b/g)].map((m) => m[0]);
            return uses.filter((use) => !(use === 'process.stderr' && START_UP_FAILURES.has(name))).map((use) => `${name}: ${use}`);
        });
        expect(offending).toEqual([]);
    });
});
