import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conversationTtl } from '../../bot/storage/PingableStorage';
import { SqliteStorage } from '../../adapters/storage/SqliteStorage';
import { storageConformance } from '../helpers/storageConformance';
import { loadConfig } from '../../bot/config';
import { Linli } from '../../bot/Linli';
import { createLogger } from '../../bot/logger';

const dir = mkdtempSync(join(tmpdir(), 'linli-sqlite-'));
const opened: SqliteStorage[] = [];
function open(file = join(dir, 'conformance.sqlite'), ...rest: [] | [ReturnType<typeof conversationTtl>, () => number]): SqliteStorage {
    const storage = new SqliteStorage(file, ...rest);
    opened.push(storage);
    return storage;
}
afterAll(async () => Promise.all(opened.map((s) => s.close())));

describe('SqliteStorage conformance', () => {
    storageConformance(() => open());
});

describe('SqliteStorage', () => {
    it('keeps items across a reopen of the same file', async () => {
        const file = join(dir, 'reopen.sqlite');
        const first = open(file);
        await first.write({ 'emulator/conversations/c1': { memory: { turns: 3 } } });
        await first.close();
        const second = open(file);
        const read = await second.read(['emulator/conversations/c1']);
        expect(read['emulator/conversations/c1']?.memory).toEqual({ turns: 3 });
    });

    it('lets conversation state expire and keeps user state', async () => {
        let now = 1_000_000;
        const storage = open(join(dir, 'ttl.sqlite'), conversationTtl(60), () => now);
        await storage.write({ 'web/conversations/c': { a: 1 }, 'web/users/u': { b: 2 } });
        now += 61_000;
        const read = await storage.read(['web/conversations/c', 'web/users/u']);
        expect(read['web/conversations/c']).toBeUndefined();
        expect(read['web/users/u']?.b).toBe(2);
        expect(await storage.sweepExpired()).toBe(1);
    });

    it("is swept by the server's expired-state round, not only skipped by reads", async () => {
        let now = Date.parse('2026-11-25T08:00:00Z');
        const storage = open(join(dir, 'swept.sqlite'), conversationTtl(60), () => now);
        const linli = await Linli.create(loadConfig({ DATA_DIR: mkdtempSync(join(dir, 'linli-')), LOG_LEVEL: 'silent' }), createLogger('silent'), { storage });
        try {
            await storage.write({ 'web/conversations/old': { a: 1 }, 'web/conversations/new': { b: 1 }, 'web/users/u': { c: 1 } });
            now += 61_000;
            await storage.write({ 'web/conversations/new': { b: 2 } });
            const round = linli.expiredStateSweep();
            expect(await round.tick()).toBe(1);
            expect(await round.tick()).toBe(0);
            const kept = await storage.read(['web/conversations/new', 'web/users/u']);
            expect(Object.keys(kept).sort()).toEqual(['web/conversations/new', 'web/users/u']);
        } finally {
            await linli.close();
        }
    });

    it('reports a closed database as unavailable rather than crashing', async () => {
        const storage = open(join(dir, 'closed.sqlite'));
        await storage.close();
        await expect(storage.read(['x'])).rejects.toMatchObject({ name: 'StorageUnavailableError' });
        await expect(storage.ping()).rejects.toMatchObject({ name: 'StorageUnavailableError' });
    });
});
