import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { testRedisUrl } from '../../bot/config';
import { rssBytes } from '../helpers/processRss';
import { dropPrefix, reachableRedis, uniquePrefix } from '../helpers/redisKeys';
import { spawnLinli } from '../helpers/spawnLinli';

/**
 * `npm run soak -- --minutes 5`: steady owner traffic against the spawned server (expectReplies over loopback, a
 * fixed number of owners sending `--rate` turns a second between them, each with at most one request in flight),
 * printing the server's RSS and the minute's p99 every minute. A fixed rate rather than as fast as it goes: a
 * saturated server on two shared cores measures whatever else runs on them, not whether Linli slows down. Passes when RSS grew at most 10 % after the first minute and no later minute's p99 is more than 20 % above
 * the first minute's (the first minute includes the warm-up: JIT, caches, the store's first pages), with no errors.
 */
const { values } = parseArgs({
    options: {
        minutes: { type: 'string', default: '5' },
        owners: { type: 'string', default: '20' },
        rate: { type: 'string', default: '200' },
        turns: { type: 'string', default: '10' },
        store: { type: 'string', default: 'sqlite' },
    },
});
const MINUTES = Number(values.minutes);
const OWNERS = Number(values.owners);
const TURNS = Number(values.turns);
const STORE = values.store;
const RATE = Number(values.rate);
if (!(MINUTES >= 2 && MINUTES <= 60) || !(OWNERS >= 1 && OWNERS <= 200) || !(RATE > 0) || (STORE !== 'sqlite' && STORE !== 'redis')) {
    console.error('usage: npm run soak -- [--minutes 2..60] [--owners N] [--rate TURNS_PER_S] [--turns N] [--store sqlite|redis]');
    process.exit(2);
}

/** Allowed growth after the first minute, and the allowed p99 rise over the first minute's (issue 10's bounds). */
const RSS_GROWTH = 0.1;
const P99_RISE = 0.2;

// What owners ordinarily say, cycled: greetings, questions, a repair and a complaint flow, ticket status, thanks.
const MESSAGES = ['您好', '请问物业费怎么交', '厨房水槽下面漏水了，麻烦来修', '5号楼2单元1502', '明天下午三点', '我的报修怎么样了', '房子空置可以少交物业费吗', '电梯三天两头坏，住户意见很大', '对', '谢谢，没别的事了'];

// Idle sockets are dropped after 2 s, before the server's 5 s keep-alive timeout closes them: otherwise a request
// can go out on a socket the server is closing at that moment (ECONNRESET), a client artefact, not Linli's error.
const agent = new Agent({ keepAlive: true, maxSockets: Infinity, timeout: 2000 });

function post(url: string, body: string): Promise<number | string> {
    return new Promise((resolve, reject) => {
        const req = request(`${url}/api/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
        req.on('error', reject);
        req.end(body);
    });
}

function p99(latencies: number[]): number {
    const sorted = [...latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

async function main(): Promise<number> {
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-soak-'));
    const prefix = uniquePrefix().replace('linli-test:', 'linli-soak:');
    const env: Record<string, string> = STORE === 'redis' ? { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix } : { DATA_DIR: dataDir };
    const linli = await spawnLinli({ ...env, LOG_LEVEL: 'info' });
    const pid = linli.child.pid ?? 0;
    console.log(`soak on ${STORE}: ${MINUTES} min, ${OWNERS} owners, ${RATE} turns/s, conversations of ${TURNS} turns, server pid ${pid}`);
    const start = Date.now();
    const end = start + MINUTES * 60_000;
    // Each owner speaks every `gap` ms, the owners spread evenly over it; a late answer delays only that owner.
    const gap = (OWNERS * 1000) / RATE;
    let minute: number[] = [];
    let errors = 0;
    const minutes: { rss: number; p99: number; turns: number }[] = [];
    const owner = async (n: number) => {
        let due = start + (n * gap) / OWNERS;
        for (let conversation = 0; Date.now() < end; conversation++) {
            for (let turn = 0; turn < TURNS && Date.now() < end; turn++) {
                const wait = due - Date.now();
                if (wait > 0) await new Promise((r) => setTimeout(r, wait));
                due = Math.max(due + gap, Date.now());
                const body = JSON.stringify({
                    type: 'message',
                    channelId: 'webchat',
                    deliveryMode: 'expectReplies',
                    conversation: { id: `soak-${n}-${conversation}` },
                    // A new owner each conversation: real owners do not file hundreds of repairs each, so one owner's
                    // ticket list growing without end would measure the soak, not Linli.
                    from: { id: `soak-owner-${n}-${conversation}` },
                    recipient: { id: 'linli' },
                    text: MESSAGES[turn % MESSAGES.length],
                });
                const started = performance.now();
                const status = await post(linli.url, body).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
                minute.push(performance.now() - started);
                if (status !== 200) {
                    errors++;
                    if (errors <= 5) console.log(`  error: "${MESSAGES[turn % MESSAGES.length]}" in soak-${n}-${conversation} → ${status}`);
                }
            }
        }
    };
    // RSS is sampled every second and each minute reports the mean of its last 15 samples: one sample lands
    // wherever the garbage collector happens to be, and the first minute's early samples are still the start-up.
    let samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssBytes(pid) ?? 0), 1000);
    const ticker = setInterval(() => {
        const tail = samples.slice(-15);
        const rss = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
        samples = [];
        const entry = { rss, p99: p99(minute), turns: minute.length };
        minutes.push(entry);
        minute = [];
        console.log(`minute ${minutes.length}: RSS ${(rss / 2 ** 20).toFixed(1)} MiB (mean of its last 15 s), p99 ${entry.p99.toFixed(1)} ms, ${entry.turns} turns, ${errors} errors so far`);
    }, 60_000);
    try {
        await Promise.all(Array.from({ length: OWNERS }, (_, n) => owner(n)));
        // The last minute's tick may be a few milliseconds after the load stopped.
        await new Promise((r) => setTimeout(r, minutes.length >= MINUTES ? 0 : 1000));
    } finally {
        clearInterval(ticker);
        clearInterval(sampler);
        const alive = linli.child.exitCode === null;
        await linli.stop();
        rmSync(dataDir, { recursive: true, force: true });
        if (STORE === 'redis') {
            const redis = await reachableRedis();
            if (redis) {
                await dropPrefix(redis, prefix);
                redis.disconnect();
            }
        }
        if (!alive) console.log(`the server died during the soak: ${linli.output().tail.slice(-2000)}`);
    }
    const [first, ...rest] = minutes;
    const last = minutes.at(-1);
    if (!first || !last || rest.length === 0) {
        console.log('soak: fewer than two whole minutes measured');
        return 1;
    }
    const growth = last.rss / first.rss - 1;
    const worst = Math.max(...rest.map((m) => m.p99));
    const rise = worst / first.p99 - 1;
    const ok = growth <= RSS_GROWTH && rise <= P99_RISE && errors === 0;
    console.log(
        `soak ${ok ? 'passed' : 'FAILED'}: RSS ${(first.rss / 2 ** 20).toFixed(1)} → ${(last.rss / 2 ** 20).toFixed(1)} MiB after the first minute (${(growth * 100).toFixed(1)} %, at most ${RSS_GROWTH * 100} %); ` +
            `p99 first minute ${first.p99.toFixed(1)} ms, worst later ${worst.toFixed(1)} ms (${(rise * 100).toFixed(1)} %, at most +${P99_RISE * 100} %); ${minutes.reduce((n, m) => n + m.turns, 0)} turns, ${errors} errors`,
    );
    return ok ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error);
        process.exit(1);
    },
);
