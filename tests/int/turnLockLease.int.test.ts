import type { Middleware, TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCi } from '../../bot/config';
import { RedisServerProcess, redisServerInstalled } from '../helpers/RedisServerProcess';
import { nlu, say, startTestServer, type TestServer } from '../helpers/testServer';

/**
 * Holds the turns of the named conversations inside the turn lock until let go: a turn in flight, as a slow store
 * or a slow channel makes one.
 */
class TurnGate implements Middleware {
    readonly held = new Set<string>();
    private open!: () => void;
    private opened = new Promise<void>((resolve) => (this.open = resolve));
    entered = 0;

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        if (this.held.has(context.activity.conversation.id)) {
            this.entered += 1;
            await this.opened;
        }
        await next();
    }

    release(): void {
        this.held.clear();
        this.open();
    }
}

const installed = redisServerInstalled();
if (!installed && isCi()) throw new Error('CI is set but redis-server is not installed');

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
    }
}

describe.skipIf(!installed)('turn-lock leases on a Redis that crashes (own redis-server, AOF)', () => {
    let redis: RedisServerProcess;
    let linli: TestServer;
    const prefix = 'linli-lease:';

    beforeAll(async () => {
        redis = await RedisServerProcess.create();
        await redis.start();
        linli = await startTestServer({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
        await say(linli.url, '您好', { conversationId: 'warm-up' });
    });
    afterAll(async () => {
        await linli?.close();
        await redis?.remove();
    });

    it('a turn longer than a lease keeps its lock, and a second turn of the conversation waits for it', async () => {
        const gate = new TurnGate();
        linli.adapter.use(gate);
        gate.held.add('long-turn');
        const first = say(linli.url, '您好', { conversationId: 'long-turn' });
        await until(() => gate.entered === 1, 5000);
        let secondDone = false;
        const second = say(linli.url, '谢谢', { conversationId: 'long-turn' }).finally(() => (secondDone = true));
        // Past the 5 s lease: only renewals keep the lock, and the second turn must still be waiting for it.
        await new Promise((r) => setTimeout(r, 6500));
        expect(secondDone).toBe(false);
        const client = redis.client();
        await client.connect();
        expect(await client.pttl(`${prefix}lock:turn:emulator/long-turn`)).toBeGreaterThan(0);
        expect(await client.pttl(`${prefix}lock:turn:emulator/long-turn`)).toBeLessThanOrEqual(5000);
        client.disconnect();
        gate.release();
        const [a, b] = await Promise.all([first, second]);
        expect(nlu(a)).toBeDefined();
        expect(nlu(b)).toBeDefined();
    }, 20_000);

    it('after Redis is killed -9 mid-turn and restarts from its AOF, new messages are answered within 10 s', async () => {
        const gate = new TurnGate();
        linli.adapter.use(gate);
        const inFlight = ['crash-1', 'crash-2', 'crash-3', 'crash-4'];
        for (const id of inFlight) gate.held.add(id);
        const turns = inFlight.map((id) => say(linli.url, '您好', { conversationId: id }));
        await until(() => gate.entered === inFlight.length, 5000);
        // The leases are on disk (appendfsync always) when Redis dies.
        const client = redis.client();
        await client.connect();
        expect((await client.keys(`${prefix}lock:turn:emulator/crash-*`)).length).toBe(inFlight.length);
        client.disconnect();

        await redis.kill();
        gate.release(); // the turns go on without their store, and can not release their leases
        await Promise.all(turns);
        await redis.start();
        const restartedAt = Date.now();

        const answered = await Promise.all(
            ['crash-1', 'crash-3', 'after-crash'].map(async (id) => {
                // The client reconnects within a couple of seconds; until then the owner hears "store down" at once.
                for (;;) {
                    const turn = await say(linli.url, '您好', { conversationId: id });
                    if (nlu(turn)) return Date.now() - restartedAt;
                    if (Date.now() - restartedAt > 10_000) return Infinity;
                    await new Promise((r) => setTimeout(r, 200));
                }
            }),
        );
        for (const ms of answered) expect(ms, `answered ${answered.join(', ')} ms after the restart`).toBeLessThan(10_000);
    }, 40_000);
});
