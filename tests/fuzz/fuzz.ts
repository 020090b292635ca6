import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { FuzzRun, formatReport, type FuzzStore } from './FuzzRun';
import { reachableRedis } from '../helpers/redisKeys';

/**
 * `npm run fuzz`: the seeded hostile barrage against the real server, on the embedded store and on Redis, each for
 * at most `--seconds` and `--count` requests. Prints the seed first; `--seed N` replays a run, `--case I[,J]` one
 * case of it. Exits non-zero on any 5xx, crash, RSS over the limit or a conversation that fails afterwards.
 */
const { values } = parseArgs({
    options: {
        seed: { type: 'string' },
        store: { type: 'string', default: 'both' },
        count: { type: 'string', default: '50000' },
        seconds: { type: 'string', default: '240' },
        concurrency: { type: 'string', default: '6' },
        case: { type: 'string' },
        'max-body-mb': { type: 'string', default: '160' },
        'rss-limit-mb': { type: 'string', default: '600' },
    },
});

const seed = values.seed !== undefined ? Number(values.seed) : randomInt(2 ** 31);
const stores: FuzzStore[] = values.store === 'both' ? ['sqlite', 'redis'] : [values.store as FuzzStore];
if (!Number.isInteger(seed) || stores.some((s) => s !== 'sqlite' && s !== 'redis')) {
    console.error('usage: npm run fuzz -- [--seed N] [--store sqlite|redis|both] [--count N] [--seconds S] [--case I,J] [--concurrency N] [--max-body-mb N]');
    process.exit(2);
}

async function main(): Promise<number> {
    console.log(`fuzz seed ${seed} (replay: npm run fuzz -- --seed ${seed})`);
    let failed = false;
    for (const store of stores) {
        if (store === 'redis') {
            const redis = await reachableRedis();
            if (!redis) {
                console.log('fuzz redis: no Redis answers at REDIS_URL; skipped');
                continue;
            }
            redis.disconnect();
        }
        const report = await new FuzzRun({
            store,
            seed,
            count: Number(values.count),
            seconds: Number(values.seconds),
            concurrency: Number(values.concurrency),
            maxBodyBytes: Number(values['max-body-mb']) * 2 ** 20,
            bombBytes: [2 ** 20, 16 * 2 ** 20, 100 * 2 ** 20],
            rssLimitBytes: Number(values['rss-limit-mb']) * 2 ** 20,
            isolateBudgetMs: 60_000,
            ...(values.case ? { cases: values.case.split(',').map(Number) } : {}),
            log: (line) => console.log(line),
        }).run();
        console.log(formatReport(report));
        failed ||= report.findings.length > 0;
    }
    return failed ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error);
        process.exit(1);
    },
);
