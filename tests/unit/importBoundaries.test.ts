import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../bot/paths';

/** The composition root: the one place that chooses adapters and wires them to the bot. */
const COMPOSITION_ROOT = join(PROJECT_ROOT, 'bot', 'composition') + sep;
const ADAPTERS = join(PROJECT_ROOT, 'adapters') + sep;

function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const path = join(dir, e.name);
        if (e.isDirectory()) return sources(path);
        return /\.(ts|cjs|mjs|js)$/.test(e.name) ? [path] : [];
    });
}

/** Every module a file names: static and type imports, re-exports, side-effect imports, import() and require(). */
function specifiers(text: string): string[] {
    const found = text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]/g);
    return [...found].map((m) => m[1] ?? m[2] ?? '');
}

describe('import boundaries', () => {
    it('nothing under bot/ or dialogs/ imports adapters/, except the composition root (bot/composition/)', () => {
        const files = ['bot', 'dialogs'].flatMap((dir) => sources(join(PROJECT_ROOT, dir)));
        expect(files.length).toBeGreaterThan(50);
        expect(files.some((file) => file.startsWith(COMPOSITION_ROOT))).toBe(true);
        const offending = files
            .filter((file) => !file.startsWith(COMPOSITION_ROOT))
            .flatMap((file) =>
                specifiers(readFileSync(file, 'utf8'))
                    .filter((spec) => spec.startsWith('.') && (resolve(dirname(file), spec) + sep).startsWith(ADAPTERS))
                    .map((spec) => `${relative(PROJECT_ROOT, file)}: ${spec}`),
            );
        expect(offending).toEqual([]);
    });

    it('the composition root does import adapters (the check above reads the imports it means to)', () => {
        const text = readFileSync(join(COMPOSITION_ROOT, 'Stores.ts'), 'utf8');
        expect(specifiers(text).filter((spec) => (resolve(COMPOSITION_ROOT, spec) + sep).startsWith(ADAPTERS)).length).toBeGreaterThan(0);
    });
});
