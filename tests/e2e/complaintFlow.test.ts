import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nlu, say, startTestServer, texts, type TestServer } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
let server: TestServer;
beforeAll(async () => {
    server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}` });
});
afterAll(async () => server.close());

const staff = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });

describe('an angry lift complaint, end to end over HTTP', () => {
    it('empathises, restates, captures place and phone, opens a ticket, and the owner can follow it', async () => {
        const owner = { conversationId: 'lift-1', userId: 'owner-lift', channelId: 'emulator' };
        const first = await say(server.url, '电梯又坏了！！你们到底管不管', owner);
        expect(nlu(first)).toMatchObject({ intent: 'complaint', sub: 'facility', emotion: 'angry' });
        const opening = texts(first).join('');
        expect(opening).toMatch(/理解|抱歉|对不起/);
        expect(opening).toContain('您是说电梯又坏了，对吗？');

        const confirmed = await say(server.url, '对', owner);
        expect(texts(confirmed).join('')).toMatch(/位置|几号楼/);
        const place = await say(server.url, '3号楼1单元', owner);
        expect(nlu(place)?.escalate).toBe(false);
        expect(texts(place).join('')).toMatch(/电话/);
        const phone = await say(server.url, '13812345678', owner);
        const closing = texts(phone).join('');
        const ticketId = /TS-\d{8}-\d{4}/.exec(closing)?.[0];
        expect(ticketId).toBeDefined();
        expect(closing).toContain('工程部');
        expect(closing).toMatch(/回访/);

        const ticket = (await (await staff(`/api/tickets/${ticketId}`)).json()) as Record<string, unknown> & {
            contact: { phone: string; building: string; unit: string };
            createdAt: string;
            sla: { responseDueAt: string; feedbackDueAt: string };
        };
        expect(ticket).toMatchObject({ kind: 'complaint', category: 'facility', status: 'received', ownerId: 'owner-lift', location: '3号楼1单元' });
        expect(ticket.contact).toMatchObject({ phone: '13812345678', building: '3', unit: '1' });
        // The deadlines count on the estate's hours (the exact times are the SLA table's, tests/e2e/slaAtNight.test.ts):
        // whenever this runs, a response after 15 staffed minutes, feedback within 24 hours, and after the response.
        const [created, response, feedback] = [ticket.createdAt, ticket.sla.responseDueAt, ticket.sla.feedbackDueAt].map(Date.parse) as [number, number, number];
        expect(response - created).toBeGreaterThanOrEqual(15 * 60_000);
        expect(feedback - created).toBeLessThanOrEqual(24 * 3600_000);
        expect(feedback).toBeGreaterThan(response);

        expect((await staff(`/api/tickets/${ticketId}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed' }) })).status).toBe(409);
        expect((await staff(`/api/tickets/${ticketId}`, { method: 'PATCH', body: JSON.stringify({ status: 'in_progress' }) })).status).toBe(200);

        const status = await say(server.url, '我之前投诉的电梯处理得怎么样了', { ...owner, conversationId: 'lift-2' });
        expect(nlu(status)?.intent).toBe('ticket_status');
        const answer = texts(status).join('');
        expect(answer).toContain(ticketId);
        expect(answer).toContain('处理中');
        expect(answer).toMatch(/反馈时限/);
        const stranger = await say(server.url, '我的投诉处理到哪一步了', { conversationId: 'lift-3', userId: 'someone-else' });
        expect(texts(stranger).join('')).not.toContain(ticketId);
    });

    it('asks nothing the first message and the profile already gave', async () => {
        const owner = { conversationId: 'lift-full', userId: 'owner-full', channelData: { owner: { phone: '13900001111' } } };
        await say(server.url, '5号楼2单元的电梯坏了一个星期了，也没人来修', owner);
        const done = await say(server.url, '是的', owner);
        const reply = texts(done).join('');
        expect(reply).toMatch(/TS-\d{8}-\d{4}/);
        expect(reply).not.toMatch(/位置|电话/);
    });

    it('lets the owner cancel, ask a question midway, or be handed over', async () => {
        const a = { conversationId: 'cancel', userId: 'owner-cancel' };
        await say(server.url, '楼道的灯坏了好久没人修', a);
        const cancelled = await say(server.url, '算了', a);
        expect(texts(cancelled).join('')).toMatch(/不登记|不办|取消/);
        expect(nlu(await say(server.url, '您好', a))?.intent).toBe('greeting');

        const b = { conversationId: 'question', userId: 'owner-question' };
        await say(server.url, '垃圾房的门坏了好几周了', b);
        await say(server.url, '对', b);
        const question = await say(server.url, '对了，物业费可以用支付宝交吗', b);
        const both = texts(question).join('');
        expect(both).toMatch(/支付宝/);
        expect(both).toMatch(/位置|几号楼/);

        const c = { conversationId: 'person', userId: 'owner-person' };
        await say(server.url, '电梯坏了没人修', c);
        const handed = await say(server.url, '转人工', c);
        expect(handed.activities.some((x) => x.name === 'handoff.initiate')).toBe(true);
    });

    it('ends a flow politely when its script changed under it, and lets it be when another script changed', async () => {
        type Stored = { dialogState: { dialogStack: { version?: string; state: { dialogs: { dialogStack: { id: string; state: { values?: { flowVersion?: string } } }[] } } }[] } };
        const startFlow = async (conversationId: string) => {
            const owner = { conversationId, userId: `owner-${conversationId}` };
            await say(server.url, '楼道的灯坏了好久没人修', owner);
            const key = `emulator/conversations/${conversationId}/`;
            const stored = (await server.linli.storage.read([key]))[key] as Stored;
            const main = stored.dialogState.dialogStack[0]!;
            const flow = main.state.dialogs.dialogStack[0]!;
            expect(flow.id).toBe('script.complaint');
            // As if a trainer had edited a script and Linli restarted: the stored dialogs carry another version.
            main.version = 'from-the-old-scripts';
            return { owner, key, stored, flow };
        };

        // Another script changed: this owner's flow has the shape it started with, and simply goes on.
        const other = await startFlow('scripts-edited-elsewhere');
        await server.linli.storage.write({ [other.key]: other.stored });
        expect(texts(await say(server.url, '是的', other.owner)).join('')).toMatch(/位置|几号楼|哪里/);

        // This owner's own script changed: the flow ends politely instead of resuming at a step that moved.
        const edited = await startFlow('scripts-edited');
        edited.flow.state.values!.flowVersion = 'script.complaint:empathise,clarify,listen.phone,resolve';
        await server.linli.storage.write({ [edited.key]: edited.stored });
        const next = await say(server.url, '是的', edited.owner);
        expect(texts(next).join('')).toMatch(/流程.*更新/);
        expect(texts(next).join('')).not.toMatch(/TS-\d{8}/);
        const after = (await server.linli.storage.read([edited.key]))[edited.key] as { dialogState: { dialogStack: unknown[] } };
        expect(after.dialogState.dialogStack).toHaveLength(0);
        // The owner starts again and the flow runs as usual.
        expect(texts(await say(server.url, '楼道的灯坏了好久没人修', edited.owner)).join('')).toMatch(/对吗/);
    });
});
