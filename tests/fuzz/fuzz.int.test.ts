import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testFuzzSeed } from '../../bot/config';
import { reachableRedis } from '../helpers/redisKeys';
import { FuzzRun, formatReport, type FuzzStore } from './FuzzRun';

// The short fuzz of `npm test` (the full one is `npm run fuzz`): about 15 s of the seeded hostile barrage per store
// against the spawned server. The seed is printed; FUZZ_SEED=N replays it here, `npm run fuzz -- --seed N` there.
const seed = testFuzzSeed() ?? randomInt(2 ** 31);
console.log(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npx vitest run --project int tests/fuzz, or npm run fuzz -- --seed ${seed})`);
const redis = await reachableRedis();
redis?.disconnect();

async function fuzz(store: FuzzStore) {
    const report = await new FuzzRun({
        store,
        seed,
        count: 3000,
        seconds: 15,
        concurrency: 6,
        maxBodyBytes: 8 * 2 ** 20,
        bombBytes: [2 ** 20, 16 * 2 ** 20, 100 * 2 ** 20],
        rssLimitBytes: 600 * 2 ** 20,
        isolateBudgetMs: 15_000,
    }).run();
    expect(report.findings, formatReport(report)).toEqual([]);
    // It did attack (cases go round every route, then every attack): some answered, the bad ones refused with a 4xx.
    expect(report.requests).toBeGreaterThan(200);
    expect(Object.keys(report.byStatus).some((s) => s.startsWith('4'))).toBe(true);
    expect(Object.keys(report.byStatus).some((s) => s.startsWith('2'))).toBe(true);
}

describe('fuzz: hostile requests to every route of the spawned server', () => {
    it('embedded store: no 5xx, no crash, RSS under 600 MB, and a normal conversation afterwards', () => fuzz('sqlite'), 90_000);
    it.skipIf(!redis)('Redis: no 5xx, no crash, RSS under 600 MB, and a normal conversation afterwards', () => fuzz('redis'), 90_000);
});
