import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { testRedis } from '../helpers/redis';
import { fileComplaint } from '../helpers/fileComplaint';
import { startTestServer } from '../helpers/testServer';

const { redis, prefix } = await testRedis();
let channel: Server;
let channelUrl: string;
let deliveries = 0;

beforeAll(async () => {
    channel = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
            deliveries += 1;
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"id":"x"}');
        });
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
    channelUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((resolve) => channel.close(resolve)));

describe.skipIf(!redis)('follow-ups with two instances on one Redis', () => {
    it('are sent once, whichever instance runs the round', async () => {
        let now = new Date('2026-11-24T02:00:00Z');
        const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix };
        const a = await startTestServer(env, { clock: () => now });
        const b = await startTestServer(env, { clock: () => now });
        try {
            const owner = { conversationId: 'two-follow', userId: 'owner-two', channelId: 'webchat', serviceUrl: channelUrl };
            const ticketId = await fileComplaint([a.url, b.url], owner, '电梯按钮坏了好几个', '2号楼');
            await a.linli.tickets.update(ticketId, { status: 'in_progress' }, 'alice');
            await b.linli.tickets.update(ticketId, { status: 'replied' }, 'alice');
            now = new Date(Date.parse((await a.linli.tickets.get(ticketId))!.followUp.dueAt!) + 60_000);
            const sent = await Promise.all([a.linli.followUps(a.adapter).tick(), b.linli.followUps(b.adapter).tick(), a.linli.followUps(a.adapter).tick()]);
            expect(sent.reduce((x, y) => x + y, 0)).toBe(1);
            expect(deliveries).toBe(1);
            expect((await b.linli.tickets.get(ticketId))?.followUp.askedAt).toBeTruthy();
        } finally {
            await a.close();
            await b.close();
        }
    });
});
