import { describe } from 'vitest';
import { RedisTicketStore } from '../../adapters/tickets/RedisTicketStore';
import { testRedis } from '../helpers/redis';
import { ticketStoreConformance } from '../helpers/ticketStoreConformance';

const { redis, prefix } = await testRedis();
let n = 0;

describe.skipIf(!redis)('RedisTicketStore conformance (real Redis)', () => {
    ticketStoreConformance(() => new RedisTicketStore(redis!, `${prefix}${++n}:`));
});
