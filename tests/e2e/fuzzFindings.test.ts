import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import type { TicketStore } from '../../bot/tickets/TicketStore';
import { readTranscriptLines } from '../../bot/transcripts/TranscriptStore';
import { SqliteTicketStore } from '../../adapters/tickets/SqliteTicketStore';
import { startTestServer, type TestServer } from '../helpers/testServer';

// What the hostile barrage (npm run fuzz) found beyond the list, each pinned over HTTP.

const TOKEN = 'alice-token-0123456789';
const staff = { authorization: `Bearer ${TOKEN}` };
let server: TestServer;
let failReads = false;

/** The embedded ticket store, except that reads fail as a store that does not answer while `failReads` is set. */
function flakyReads(inner: TicketStore): TicketStore {
    return new Proxy(inner, {
        get: (target, property, receiver) => {
            const value: unknown = Reflect.get(target, property, receiver);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
                if (failReads && (property === 'get' || property === 'list' || property === 'page')) {
                    return Promise.reject(new StorageUnavailableError('ticket read', new Error('Command timed out (test)')));
                }
                return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
        },
    });
}

beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-fuzz-findings-'));
    server = await startTestServer({ DATA_DIR: dataDir, AGENT_TOKENS: `alice:${TOKEN}` }, { ticketStore: flakyReads(new SqliteTicketStore(join(dataDir, 'tickets.sqlite'))) });
});
afterAll(async () => server.close());

describe('an event name that is not a string', () => {
    it('is refused with 400 naming the field, and the agents\' queue stays readable', async () => {
        const res = await fetch(`${server.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                type: 'event',
                name: { poisoned: true },
                channelId: 'emulator',
                deliveryMode: 'expectReplies',
                conversation: { id: 'poison-1' },
                from: { id: 'owner-poison' },
            }),
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { reason: string }).reason).toMatch(/^name:/);
        const queue = await fetch(`${server.url}/api/handoffs?status=queued`, { headers: staff });
        expect(queue.status).toBe(200);
    });

    it('a damaged stored transcript line is left out instead of failing the read', () => {
        const good = JSON.stringify({ at: '2026-12-01T10:00:00.000Z', from: 'owner', text: '电梯坏了' });
        expect(readTranscriptLines([good, '{"at":1,"from":"owner","event":{"x":1}}', 'not json'])).toEqual([JSON.parse(good)]);
    });
});

describe('an invoke activity', () => {
    it('is refused with 400 (botbuilder would answer an unhandled invoke with 501)', async () => {
        for (const deliveryMode of [undefined, 'expectReplies']) {
            const res = await fetch(`${server.url}/api/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ type: 'invoke', name: 'x', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:1', deliveryMode, conversation: { id: 'invoke-1' }, from: { id: 'owner-invoke' } }),
            });
            expect(res.status).toBe(400);
        }
    });
});

describe('a store that does not answer on a staff route', () => {
    it('answers 503 with Retry-After, not 500', async () => {
        failReads = true;
        try {
            const one = await fetch(`${server.url}/api/tickets/TS-20261201-0001`, { headers: staff });
            expect(one.status).toBe(503);
            expect(Number(one.headers.get('retry-after'))).toBeGreaterThan(0);
            expect(((await one.json()) as { error: string }).error).toBe('store_unavailable');
            const list = await fetch(`${server.url}/api/tickets`, { headers: staff });
            expect(list.status).toBe(503);
        } finally {
            failReads = false;
        }
        expect((await fetch(`${server.url}/api/tickets`, { headers: staff })).status).toBe(200);
    });
});
