import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
let server: TestServer;
let id: string;

beforeAll(async () => {
    server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN},bob:bob-token-0123456789` });
    const ticket = await server.linli.tickets.create({
        kind: 'complaint',
        category: 'facility',
        channelId: 'webchat',
        conversationId: 'c-routes',
        ownerId: 'owner-routes',
        medium: 'chat',
        contact: { phone: '13812345678', building: '5' },
        location: '5号楼电梯',
        description: '电梯三天两头坏',
        request: '尽快修好',
        subject: null,
        department: null,
    });
    id = ticket.id;
});
afterAll(async () => server.close());

const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
    return fetch(`${server.url}${path}`, { ...init, headers });
};

describe('staff ticket API', () => {
    it.each(['/api/tickets', `/api/tickets/TS-20260101-0001`, '/api/reports/complaints?month=2026-11'])('401 without a valid token: %s', async (path) => {
        expect((await call(path, { token: null })).status).toBe(401);
        expect((await call(path, { token: 'not-a-real-token-at-all' })).status).toBe(401);
    });

    it('lists tickets with filters, and shows contact details in full to staff', async () => {
        const all = (await (await call('/api/tickets')).json()) as { tickets: { id: string; contact: { phone: string } }[] };
        expect(all.tickets.map((t) => t.id)).toContain(id);
        expect(all.tickets[0]?.contact.phone).toBe('13812345678');
        const none = (await (await call('/api/tickets?status=closed')).json()) as { tickets: unknown[] };
        expect(none.tickets).toEqual([]);
        expect((await call('/api/tickets?status=bogus')).status).toBe(400);
    });

    it('moves a ticket along, records who did it, and refuses an illegal move with 409', async () => {
        const illegal = await call(`/api/tickets/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed' }) });
        expect(illegal.status).toBe(409);
        expect(((await illegal.json()) as { reason: string }).reason).toMatch(/received/);
        const moved = await call(`/api/tickets/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'in_progress', note: '已派工程部' }) });
        expect(moved.status).toBe(200);
        const ticket = (await moved.json()) as { status: string; history: { by: string; to?: string }[] };
        expect(ticket.status).toBe('in_progress');
        expect(ticket.history.at(-1)).toMatchObject({ by: 'alice', to: 'in_progress' });
        expect((await call(`/api/tickets/${id}`, { method: 'PATCH', body: '{"status":' })).status).toBe(400);
        expect((await call(`/api/tickets/${id}`, { method: 'PATCH', body: JSON.stringify({ colour: 'red' }) })).status).toBe(400);
        expect((await call('/api/tickets/TS-20260101-0099', { method: 'PATCH', body: JSON.stringify({ status: 'in_progress' }) })).status).toBe(404);
    });

    it('counts tickets by status in /metrics', async () => {
        const body = await (await fetch(`${server.url}/metrics`)).text();
        expect(body).toMatch(/linli_tickets\{status="in_progress"\} 1/);
        expect(body).toMatch(/linli_tickets\{status="received"\} 0/);
    });

    it('reports the month', async () => {
        // The estate's month (UTC+8), as the report counts it.
        const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
        const report = (await (await call(`/api/reports/complaints?month=${month}`)).json()) as { total: number; byCategory: Record<string, number> };
        expect(report.total).toBeGreaterThanOrEqual(1);
        expect(report.byCategory.facility).toBeGreaterThanOrEqual(1);
        expect((await call('/api/reports/complaints?month=2026-13')).status).toBe(400);
    });

    it('keeps call-backs (handoffs nobody accepted) out of the complaint totals, on a line of their own', async () => {
        const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
        const before = (await (await call(`/api/reports/complaints?month=${month}`)).json()) as { total: number; byCategory: Record<string, number> };
        await server.linli.tickets.create({
            kind: 'callback',
            category: 'service',
            channelId: 'webchat',
            conversationId: 'c-routes-callback',
            ownerId: 'owner-routes',
            medium: 'chat',
            contact: {},
            location: null,
            description: '转人工未接通（requested）：我要跟人工说话',
            request: '请回电联系业主',
            subject: null,
            department: '客服中心',
        });
        const after = (await (await call(`/api/reports/complaints?month=${month}`)).json()) as { total: number; byCategory: Record<string, number>; callbacks: number };
        expect(after.total).toBe(before.total);
        expect(after.byCategory).toEqual(before.byCategory);
        expect(after.callbacks).toBe(1);
        const listed = (await (await call('/api/tickets?kind=callback')).json()) as { tickets: { kind: string }[]; total: number };
        expect(listed).toMatchObject({ total: 1, tickets: [{ kind: 'callback' }] });
    });
});
