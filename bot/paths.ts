import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project root: the nearest folder above this file with a package.json (works from bot/ and from dist/bot/). */
function findRoot(start: string): string {
    let dir = start;
    while (!existsSync(join(dir, 'package.json'))) {
        const parent = dirname(dir);
        if (parent === dir) throw new Error(`no package.json above ${start}`);
        dir = parent;
    }
    return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
