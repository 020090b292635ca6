// `npm run build` (with --force), and the first step of `npm start` / `npm run chat` (bot/start.cjs): compiles only when a source
// file is newer than the last build, so a fresh `npm start` answers within two seconds while an edited tree is
// never run stale. The compiler leaves unchanged outputs untouched, hence a stamp file of our own.
const { execFileSync } = require('node:child_process');
const { readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.built');

function newest(dir) {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) latest = Math.max(latest, newest(path));
        else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
    }
    return latest;
}

let built = 0;
try {
    built = statSync(stamp).mtimeMs;
} catch {
    built = 0;
}
const sources = Math.max(...['bot', 'dialogs', 'adapters', join('tests', 'bench'), join('tests', 'chaos'), join('tests', 'helpers'), join('tests', 'eval'), join('tests', 'fuzz'), join('tests', 'soak')].map((d) => newest(join(root, d))), statSync(join(root, 'tsconfig.json')).mtimeMs, statSync(join(root, 'adapters', 'web', 'tsconfig.json')).mtimeMs);
if (process.argv.includes('--force') || sources > built) {
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
    // The agent console's browser script: its own compiler settings (DOM, ES modules).
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'adapters', 'web', 'tsconfig.json')], { stdio: 'inherit' });
    // Train the intent model once here rather than at every start-up.
    execFileSync(process.execPath, [join(root, 'dist', 'bot', 'nlu', 'trainModel.js')], { stdio: 'inherit' });
    writeFileSync(stamp, new Date().toISOString());
}
