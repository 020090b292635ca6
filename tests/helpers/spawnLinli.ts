import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../bot/paths';

export interface LinliProcess {
    url: string;
    child: ChildProcess;
    /** Milliseconds from spawn to the "listening" log line. */
    listeningAfterMs: number;
    spawnedAt: number;
    /** Everything the process wrote to stdout (its log lines) and to stderr so far, from the start. */
    output(): { stdout: string; stderr: string };
    stop(): Promise<number | null>;
}

const ENTRY = join(PROJECT_ROOT, 'dist', 'bot', 'index.js');

/** Starts the built server as `npm start` does (node dist/bot/index.js) and waits for it to listen. */
export async function spawnLinli(env: Record<string, string>, startTimeoutMs = 10_000): Promise<LinliProcess> {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does)`);
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', ENTRY], {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', PORT: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        const timer = setTimeout(() => {
            // Not left running behind the caller's back (it would also keep the caller's process alive).
            child.kill('SIGKILL');
            reject(new Error(`no "listening" line within ${startTimeoutMs} ms; stderr: ${stderr}`));
        }, startTimeoutMs);
        let found = false;
        child.stdout?.on('data', (d: Buffer) => {
            // Once listening, the log is no longer kept: a long run under load would pile it up here.
            if (found) return;
            buffer += d.toString();
            for (const line of buffer.split('\n')) {
                if (!line.includes('Linli is listening')) continue;
                found = true;
                buffer = '';
                clearTimeout(timer);
                resolve((JSON.parse(line) as { url: string }).url);
                return;
            }
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`exited with ${code}: ${stderr}`));
        });
    });
    return {
        url,
        child,
        spawnedAt,
        listeningAfterMs: Date.now() - spawnedAt,
        output: () => ({ stdout, stderr }),
        stop: () =>
            new Promise((resolve) => {
                if (child.exitCode !== null) return resolve(child.exitCode);
                child.once('exit', (code) => resolve(code));
                child.kill('SIGTERM');
            }),
    };
}

/** Runs the built server expecting it to refuse to start; returns its exit code and stderr. */
export async function failedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', ENTRY], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stderr };
}

/**
 * Milliseconds from spawning the built server to its first expectReplies answer, the best of `tries` fresh starts:
 * two cores shared with whatever else runs make single timings noisy, while a real regression slows every start.
 */
export async function bestTimeToFirstAnswer(env: Record<string, string>, ask: (url: string) => Promise<unknown>, tries = 3): Promise<number> {
    let best = Infinity;
    for (let i = 0; i < tries && best >= 2000; i++) {
        const linli = await spawnLinli(env);
        try {
            await ask(linli.url);
            best = Math.min(best, Date.now() - linli.spawnedAt);
        } finally {
            await linli.stop();
        }
    }
    return best;
}
