import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRehearsalStore } from '../../adapters/rehearsals/RedisRehearsalStore';
import { EntityExtractor } from '../../bot/nlu/EntityExtractor';
import { PROJECT_ROOT } from '../../bot/paths';
import type { Rehearsal } from '../../bot/rehearsal/Rehearsal';
import { RehearsalService } from '../../bot/rehearsal/RehearsalService';
import { ScenarioBook } from '../../bot/rehearsal/ScenarioBook';
import { rehearsalStoreConformance } from '../helpers/rehearsalStoreConformance';
import { testRedis } from '../helpers/redis';
import { testRedisUrl } from '../../bot/config';
import { startTestServer, type TestServer } from '../helpers/testServer';

const { redis, prefix } = await testRedis();
let n = 0;

describe.skipIf(!redis)('RedisRehearsalStore conformance (real Redis)', () => {
    rehearsalStoreConformance(() => new RedisRehearsalStore(redis!, `${prefix}${++n}:`));
});

describe.skipIf(!redis)('rehearsals over HTTP with REDIS_URL', () => {
    const TOKEN = 'alice-token-0123456789';
    const keyPrefix = `${prefix}http:`;
    let server: TestServer;
    beforeAll(async () => {
        server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: keyPrefix });
    }, 30_000);
    afterAll(async () => server?.close());

    it('keeps rehearsals in Redis under the key prefix, listed by trainee', async () => {
        const post = (path: string, body?: unknown) =>
            fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        const started = (await (await post('/api/rehearsals', { scenario: 'vacant_unit', seed: 3 })).json()) as { id: string };
        expect((await post(`/api/rehearsals/${started.id}/turns`, { text: '您好，请问是几号楼哪一户？空了多久？' })).status).toBe(200);
        expect((await post(`/api/rehearsals/${started.id}/finish`)).status).toBe(200);
        expect(await redis!.hexists(`${keyPrefix}rehearsals:docs`, started.id)).toBe(1);
        const listed = (await (await fetch(`${server.url}/api/rehearsals?trainee=alice`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { rehearsals: { id: string }[] };
        expect(listed.rehearsals.map((r) => r.id)).toContain(started.id);
    });
});

/** The Redis store, reading slowly: two instances' turns of one rehearsal would overlap without the shared lock. */
class SlowRedisStore extends RedisRehearsalStore {
    override async get(id: string): Promise<Rehearsal | null> {
        const found = await super.get(id);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return found;
    }
}

describe.skipIf(!redis)('rehearsal turns on two instances sharing Redis', () => {
    it('takes one rehearsal\'s turns in order across instances, none lost', async () => {
        const keys = `${prefix}instances:`;
        const book = ScenarioBook.load(join(PROJECT_ROOT, 'scripts'));
        const instance = () => new RehearsalService({ book, store: new SlowRedisStore(redis!, keys), entities: new EntityExtractor(), clock: () => new Date() });
        const [a, b] = [instance(), instance()];
        const started = await a.start({ scenario: 'leak_repair', seed: 2, trainee: 'alice' });
        const turns = ['您家是几号楼几室？', '什么时候开始漏的？', '现在漏得厉害吗？', '我确认一下：您是说8号楼1202卫生间顶上漏水，对吗？'];
        await Promise.all(turns.map((text, i) => (i % 2 === 0 ? a : b).turn(started!.id, text)));
        const stored = await a.get(started!.id);
        expect(stored!.transcript.filter((t) => t.role === 'trainee').map((t) => t.text).sort()).toEqual([...turns].sort());
        expect(stored!.transcript).toHaveLength(1 + 2 * turns.length);
    });
});
