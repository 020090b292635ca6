import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
let server: TestServer;
beforeAll(async () => {
    server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}` });
});
afterAll(async () => server.close());

interface TicketView {
    id: string;
    kind: string;
    location: string | null;
    contact: { phone?: string; building?: string };
    history: { by: string; action: string; at: string; note?: string }[];
}

async function ticketsOf(conversationId: string): Promise<TicketView[]> {
    const listed = (await (await fetch(`${server.url}/api/tickets`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { tickets: (TicketView & { conversationId: string })[] };
    return listed.tickets.filter((t) => t.conversationId === conversationId);
}

describe('what the owner adds after the ticket was opened', () => {
    it('puts a phone sent after a repair ticket onto that ticket, says so, and records who and when', async () => {
        const owner = { conversationId: 'amend-phone', userId: 'owner-amend-1', channelId: 'webchat' };
        await say(server.url, '客厅的灯不亮了，帮我报修', owner);
        await say(server.url, '7栋1单元301', owner);
        await say(server.url, '后天上午', owner);
        const declined = texts(await say(server.url, '不方便留', owner)).join('');
        expect(declined).not.toMatch(/不完整/);
        expect(declined).toMatch(/TS-\d{8}-\d{4}/);
        const before = Date.now();
        const added = texts(await say(server.url, '我电话是13712340000，来之前打给我', owner)).join('');
        const [ticket, ...others] = await ticketsOf('amend-phone');
        expect(others).toEqual([]);
        expect(added).toContain(ticket!.id);
        expect(ticket!.contact.phone).toBe('13712340000');
        const entry = ticket!.history.find((h) => h.action === 'contact_updated');
        expect(entry).toMatchObject({ by: 'owner', note: 'phone' });
        expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('puts the place an emergency asked for on its one ticket, and the same alarm again opens nothing more', async () => {
        const owner = { conversationId: 'amend-emergency', userId: 'owner-amend-2', channelId: 'webchat' };
        await say(server.url, '楼道里着火了，好多烟', owner);
        const place = texts(await say(server.url, '5栋2单元', owner)).join('');
        expect(place).toMatch(/5号楼2单元/);
        const again = await say(server.url, '火越来越大了', owner);
        expect(again.activities.filter((a) => a.type === 'event' && a.name === 'handoff.initiate')).toEqual([]);
        const [ticket, ...others] = await ticketsOf('amend-emergency');
        expect(others).toEqual([]);
        expect(ticket).toMatchObject({ kind: 'emergency', location: '5号楼2单元' });
        expect(ticket!.history.filter((h) => h.by === 'owner').map((h) => h.action)).toEqual(['contact_updated', 'location_updated', 'note']);
    });
});
