import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRehearsalStore } from '../../adapters/rehearsals/RedisRehearsalStore';
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
