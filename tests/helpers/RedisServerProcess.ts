import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free loopback port, found by letting the system pick one and giving it back. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address() as AddressInfo;
            probe.close(() => resolve(port));
        });
    });
}

/** Whether a `redis-server` binary is on the PATH. */
export function redisServerInstalled(): boolean {
    return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A `redis-server` of our own on a loopback port, writing every command to its AOF folder before answering, so it
 * can be killed -9 and started again with what it had acknowledged. Never the shared Redis: tests and the chaos run
 * kill this one.
 */
export class RedisServerProcess {
    private child: ChildProcess | undefined;

    private constructor(
        readonly port: number,
        readonly dir: string,
    ) {}

    /** Reserves a port and a folder; `start` runs the server. */
    static async create(): Promise<RedisServerProcess> {
        return new RedisServerProcess(await freePort(), mkdtempSync(join(tmpdir(), 'linli-redis-')));
    }

    get url(): string {
        return `redis://127.0.0.1:${this.port}`;
    }

    get running(): boolean {
        return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
    }

    /** Starts the server (from the AOF in `dir` if there is one) and waits until it answers PING. */
    async start(timeoutMs = 10_000): Promise<void> {
        if (this.running) return;
        const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes'];
        let stderr = '';
        const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
        child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
        this.child = child;
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            if (!this.running) throw new Error(`redis-server on port ${this.port} exited: ${stderr}`);
            if (await this.answers()) return;
            if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer within ${timeoutMs} ms`);
            await new Promise((r) => setTimeout(r, 50));
        }
    }

    /** kill -9, as a crash would; resolves once the process is gone. */
    async kill(): Promise<void> {
        const child = this.child;
        if (!child || !this.running) return;
        await new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
        });
    }

    /** Kills the server and removes its folder (the end of a test or a run). */
    async remove(): Promise<void> {
        await this.kill();
        rmSync(this.dir, { recursive: true, force: true });
    }

    /** A short-lived client connection (the caller disconnects it). */
    client(): Redis {
        const redis = new Redis(this.url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
        redis.on('error', () => undefined);
        return redis;
    }

    private async answers(): Promise<boolean> {
        const redis = this.client();
        try {
            await redis.connect();
            return (await redis.ping()) === 'PONG';
        } catch {
            return false;
        } finally {
            redis.disconnect();
        }
    }
}
