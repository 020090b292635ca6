import { describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../../adapters/tickets/RedisTicketStore';
import { testRedis } from '../helpers/redis';
import { sampleTicket, ticketStoreConformance } from '../helpers/ticketStoreConformance';

const { redis, prefix } = await testRedis();
let n = 0;

describe.skipIf(!redis)('RedisTicketStore conformance (real Redis)', () => {
    ticketStoreConformance(() => new RedisTicketStore(redis!, `${prefix}${++n}:`));
});

describe.skipIf(!redis)('RedisTicketStore before kind and category sets existed', () => {
    it('adds the tickets an older build wrote to those sets once, so filtered pages and counts still find them', async () => {
        const keys = `${prefix}legacy:`;
        const older = new RedisTicketStore(redis!, keys);
        await older.insert(sampleTicket('TS-20261101-0001', { kind: 'repair', category: 'fee' }));
        await older.insert(sampleTicket('TS-20261101-0002', { createdAt: '2026-11-24T03:00:00.000Z' }));
        // What an older build left: no kind or category sets, no flag.
        await redis!.del(`${keys}tickets:kind:repair`, `${keys}tickets:kind:complaint`, `${keys}tickets:category:fee`, `${keys}tickets:category:facility`, `${keys}tickets:indexes`);
        const store = new RedisTicketStore(redis!, keys);
        expect((await store.list({ kind: 'repair' })).map((t) => t.id)).toEqual(['TS-20261101-0001']);
        expect(await store.count({ category: 'facility' })).toBe(1);
        expect(await redis!.hget(`${keys}tickets:indexes`, 'kind-category')).toBe('1');
    });
});
