import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../adapters/storage/SqliteStorage';
import { DelayedStorage } from '../helpers/DelayedStorage';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

let server: TestServer;
beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-conc-'));
    server = await startTestServer({ DATA_DIR: dir }, { storage: new DelayedStorage(new SqliteStorage(join(dir, 'linli.sqlite')), 3) });
});
afterAll(async () => server.close());

async function storedTurns(conversationId: string): Promise<number | undefined> {
    const key = `emulator/conversations/${conversationId}/`;
    const items = await server.linli.storage.read([key]);
    return (items[key]?.memory as { turns?: number } | undefined)?.turns;
}

describe('concurrent turns in one conversation', () => {
    it('lose no state write: every turn is counted and answered', async () => {
        const n = 25;
        const turns = await Promise.all(Array.from({ length: n }, (_, i) => say(server.url, `您好${i}`, { conversationId: 'burst' })));
        expect(turns.every((t) => t.status === 200)).toBe(true);
        // A lost write would surface as an eTag conflict (the polite error sentence) or a smaller count.
        expect(turns.every((t) => texts(t).length === 1 && !/出了点问题|稍后/.test(texts(t)[0] ?? ''))).toBe(true);
        expect(await storedTurns('burst')).toBe(n);
    });

    it('do not hold up other conversations', async () => {
        const turns = await Promise.all(Array.from({ length: 10 }, (_, i) => say(server.url, '您好', { conversationId: `spread-${i}` })));
        expect(turns.every((t) => t.status === 200)).toBe(true);
        for (let i = 0; i < 10; i++) expect(await storedTurns(`spread-${i}`)).toBe(1);
    });
});
