import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileComplaint } from '../helpers/fileComplaint';
import { StandInChannel } from '../helpers/standInChannel';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

/** The owner's channel: it records what the bot sends proactively. */
const channel = new StandInChannel();
const delivered = channel.delivered;
let channelUrl: string;

let now = new Date('2026-11-24T02:00:00Z');
let server: TestServer;

beforeAll(async () => {
    channelUrl = (await channel.start()).url;
    server = await startTestServer({}, { clock: () => now });
});
afterAll(async () => {
    await server.close();
    await channel.stop();
});

describe('follow-up visits', () => {
    it('arrive on the owner\'s channel when due, and the answers are recorded', async () => {
        const owner = { conversationId: 'follow-1', userId: 'owner-follow', channelId: 'webchat', serviceUrl: channelUrl };
        const ticketId = await fileComplaint(server.url, owner, '楼道的灯坏了好几天没人修', '4号楼');
        const ticket = await server.linli.tickets.get(ticketId);
        expect(ticket?.followUp.dueAt).toBeTruthy();

        const scheduler = server.linli.followUps(server.adapter);
        expect(await scheduler.tick()).toBe(0); // not due yet
        expect(delivered).toHaveLength(0);

        await server.linli.tickets.update(ticketId, { status: 'in_progress' }, 'alice');
        await server.linli.tickets.update(ticketId, { status: 'replied' }, 'alice');
        now = new Date(Date.parse(ticket!.followUp.dueAt!) + 60_000);
        expect(await scheduler.tick()).toBe(1);
        expect(delivered).toHaveLength(1);
        expect(delivered[0]?.path).toContain('/v3/conversations/follow-1/activities');
        expect(delivered[0]?.text).toContain(ticketId);
        expect(delivered[0]?.text).toMatch(/解决了吗/);
        expect(await scheduler.tick()).toBe(0); // asked once

        const fixed = await say(server.url, '已经修好了', owner);
        expect(texts(fixed).join('')).toMatch(/打个分|1到5/);
        const rated = await say(server.url, '5分', owner);
        expect(texts(rated).join('')).toMatch(/谢谢/);
        expect(await server.linli.tickets.get(ticketId)).toMatchObject({
            status: 'revisited',
            followUp: { result: { fixed: true, satisfaction: 5 } },
        });
    });

    it('survive a restart: the due time and the owner\'s address are in the store', async () => {
        const owner = { conversationId: 'follow-2', userId: 'owner-follow-2', channelId: 'webchat', serviceUrl: channelUrl };
        const ticketId = await fileComplaint(server.url, owner, '健身器材坏了一直没人修', '中心花园');
        const dueAt = (await server.linli.tickets.get(ticketId))!.followUp.dueAt!;
        now = new Date(Date.parse(dueAt) + 60_000);
        expect(await server.linli.followUps(server.adapter).tick()).toBe(0); // due, but nobody has replied yet
        await server.linli.tickets.update(ticketId, { status: 'in_progress' }, 'alice');
        await server.linli.tickets.update(ticketId, { status: 'replied' }, 'alice');
        const dataDir = server.dataDir;
        await server.close();
        server = await startTestServer({ DATA_DIR: dataDir }, { clock: () => now });
        const before = delivered.length;
        expect(await server.linli.followUps(server.adapter).tick()).toBe(1);
        expect(delivered[before]?.text).toContain(ticketId);
    });
});

describe('payment reminders', () => {
    const TOKEN = 'alice-token-0123456789';
    let staffServer: TestServer;
    let today = new Date('2026-11-27T02:00:00Z');
    beforeAll(async () => {
        staffServer = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}` }, { clock: () => today });
    });
    afterAll(async () => staffServer.close());

    const remind = (body: unknown, token = TOKEN) =>
        fetch(`${staffServer.url}/api/reminders/payment`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
        });

    it('reach an owner on their own channel, in their register, with the days left and the prepayment offer', async () => {
        await say(staffServer.url, '您好', { conversationId: 'remind-1', userId: 'owner-remind', channelId: 'webchat', serviceUrl: channelUrl, channelData: { owner: { birthYear: 1950 } } });
        const before = delivered.length;
        const res = await remind({ channelId: 'webchat', conversationId: 'remind-1', dueDate: '2026-11-30' });
        expect(res.status).toBe(202);
        expect(delivered).toHaveLength(before + 1);
        expect(delivered.at(-1)?.path).toContain('/v3/conversations/remind-1/activities');
        expect(delivered.at(-1)?.text).toMatch(/还有3天.*前台.*九五折/s);
    });

    it('go out when staff scheduled them, once, and survive a restart', async () => {
        await say(staffServer.url, '您好', { conversationId: 'remind-2', userId: 'owner-remind-2', channelId: 'webchat', serviceUrl: channelUrl });
        const res = await remind({ channelId: 'webchat', conversationId: 'remind-2', dueDate: '2026-12-05', remindAt: '2026-12-02T10:00:00+08:00' });
        expect(res.status).toBe(202);
        expect(((await res.json()) as { scheduled: { remindAt: string; createdBy: string } }).scheduled).toMatchObject({ remindAt: '2026-12-02T02:00:00.000Z', createdBy: 'alice' });
        const toOwner = () => delivered.filter((d) => d.path.includes('/conversations/remind-2/'));
        expect(await staffServer.linli.scheduledReminders(staffServer.adapter).tick()).toBe(0); // not yet
        expect(toOwner()).toHaveLength(0);

        // Restart on the same data directory, then the time comes.
        const dataDir = staffServer.dataDir;
        await staffServer.close();
        staffServer = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, DATA_DIR: dataDir }, { clock: () => today });
        today = new Date('2026-12-02T02:00:30Z');
        const round = staffServer.linli.scheduledReminders(staffServer.adapter);
        expect(await round.tick()).toBe(1);
        expect(toOwner().at(-1)?.text).toMatch(/还有3天/);
        expect(await round.tick()).toBe(0); // sent once
    });

    it('refuse unknown owners, bad bodies and missing tokens', async () => {
        expect((await remind({ channelId: 'webchat', conversationId: 'nobody', dueDate: '2026-11-30' })).status).toBe(404);
        expect((await remind({ channelId: 'webchat', conversationId: 'nobody', dueDate: '2026-11-30', remindAt: '2026-11-28T10:00:00+08:00' })).status).toBe(404);
        expect((await remind({ channelId: 'webchat', conversationId: 'remind-1', dueDate: '2026-11-30', remindAt: 'tomorrow' })).status).toBe(400);
        expect((await remind({ channelId: 'webchat', conversationId: 'remind-1', dueDate: '30/11' })).status).toBe(400);
        expect((await remind({ channelId: 'webchat', conversationId: 'remind-1', dueDate: '2026-11-30' }, 'wrong-token-0123456789')).status).toBe(401);
    });
});
