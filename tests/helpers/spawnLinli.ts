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
    /**
     * The last of what the process wrote (at most OUTPUT_TAIL characters each): stdout (its log lines), stderr, and
     * both interleaved as written (`tail`, for failure reports).
     */
    output(): { stdout: string; stderr: string; tail: string };
    stop(): Promise<number | null>;
}

/** How much of the process's output is kept: enough for a crash's last log lines and stack, bounded under load. */
const OUTPUT_TAIL = 64 * 1024;

const ENTRY = join(PROJECT_ROOT, 'dist', 'bot', 'index.js');

/** Starts the built server as `npm start` does (node dist/bot/index.js) and waits for it to listen. */
export async function spawnLinli(env: Record<string, string>, startTimeoutMs = 10_000): Promise<LinliProcess> {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does)`);
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', ENTRY], {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', PORT: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bounded = (text: string) => (text.length > OUTPUT_TAIL * 2 ? text.slice(-OUTPUT_TAIL) : text);
    let tail = '';
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
        tail = bounded(tail + d.toString());
        stderr = bounded(stderr + d.toString());
    });
    child.stdout?.on('data', (d: Buffer) => {
        tail = bounded(tail + d.toString());
        stdout = bounded(stdout + d.toString());
    });
    const url = await new Promise<string>((resolve, reject) => {
        // Only the first lines are searched for "listening": under load the output is long and only its tail is kept.
        let head = '';
        const timer = setTimeout(() => {
            // Not left running behind the caller's back (it would also keep the caller's process alive).
            child.kill('SIGKILL');
            reject(new Error(`no "listening" line within ${startTimeoutMs} ms; output: ${tail.slice(-4000)}`));
        }, startTimeoutMs);
        const onData = (d: Buffer) => {
            head += d.toString();
            for (const line of head.split('\n')) {
                if (!line.includes('Linli is listening')) continue;
                clearTimeout(timer);
                child.stdout?.off('data', onData);
                resolve((JSON.parse(line) as { url: string }).url);
                return;
            }
        };
        child.stdout?.on('data', onData);
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`exited with ${code}: ${tail.slice(-4000)}`));
        });
    });
    return {
        url,
        child,
        spawnedAt,
        listeningAfterMs: Date.now() - spawnedAt,
        output: () => ({ stdout: stdout.slice(-OUTPUT_TAIL), stderr: stderr.slice(-OUTPUT_TAIL), tail: tail.slice(-OUTPUT_TAIL) }),
        stop: () =>
            new Promise((resolve) => {
                if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
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
