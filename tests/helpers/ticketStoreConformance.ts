import { expect, it } from 'vitest';
import { TicketConflictError, ticketPosition, type Ticket, type TicketFilter, type TicketPosition } from '../../bot/tickets/Ticket';
import type { TicketStore } from '../../bot/tickets/TicketStore';

export function sampleTicket(id: string, over: Partial<Ticket> = {}): Ticket {
    const at = over.createdAt ?? '2026-11-24T02:00:00.000Z';
    return {
        id,
        kind: 'complaint',
        category: 'facility',
        status: 'received',
        createdAt: at,
        updatedAt: at,
        channelId: 'webchat',
        conversationId: 'c-1',
        ownerId: 'owner-1',
        medium: 'chat',
        contact: { phone: '13812345678', building: '5', unit: '2', room: '1502' },
        location: '5号楼2单元电梯',
        description: '电梯三天两头坏',
        request: '尽快修好',
        subject: '工程部',
        department: null,
        receivedBy: 'linli',
        handledBy: null,
        sla: {
            responseDueAt: '2026-11-24T02:15:00.000Z',
            feedbackDueAt: '2026-11-25T02:00:00.000Z',
            replyDueAt: '2026-11-25T02:00:00.000Z',
            firstResponseAt: null,
            breaches: [],
        },
        followUp: { dueAt: '2026-11-27T02:00:00.000Z', trigger: 'scheduled', askedAt: null, doneAt: null, result: null },
        history: [{ at, by: 'linli', action: 'created', to: 'received' }],
        version: 1,
        ...over,
    };
}

/** Every ticket matching `filter`, read page by page as the API does; the ids in the order the pages gave them. */
async function pageThrough(store: TicketStore, filter: TicketFilter, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for (let after: TicketPosition | null = null; ; ) {
        const page = await store.list(filter, limit, after);
        ids.push(...page.map((t) => t.id));
        if (page.length < limit) return ids;
        after = ticketPosition(page.at(-1)!);
    }
}

const dayId = (day: number, n: number) => `TS-202611${String(day).padStart(2, '0')}-${String(n).padStart(4, '0')}`;
const hour = (n: number) => new Date(Date.parse('2026-11-01T00:00:00.000Z') + n * 3_600_000).toISOString();

/** What every TicketStore must do, run against SQLite and against the real Redis. */
export function ticketStoreConformance(makeStore: () => TicketStore): void {
    it('numbers and stores a new ticket in one step, continuing the day\'s sequence', async () => {
        const store = makeStore();
        const first = await store.insertNumbered('20261124', sampleTicket('TS-20261124-0000', { status: 'replied', followUp: { dueAt: '2026-11-25T02:00:00.000Z', trigger: 'scheduled', askedAt: null, doneAt: null, result: null } }));
        const second = await store.insertNumbered('20261124', sampleTicket('TS-20261124-0000', { ownerId: 'owner-2' }));
        expect([first.id, second.id]).toEqual(['TS-20261124-0001', 'TS-20261124-0002']);
        expect(await store.nextId('20261124')).toBe('TS-20261124-0003');
        expect(await store.get(first.id)).toEqual(first);
        expect((await store.list({ ownerId: 'owner-2' })).map((t: Ticket) => t.id)).toEqual([second.id]);
        expect((await store.dueFollowUps(new Date('2026-11-26T00:00:00Z'), 10)).map((t: Ticket) => t.id)).toContain(first.id);
        expect((await store.countByStatus()).received).toBe(1);
    });

    it('returns the ticket an idempotency key opened, without taking a new number', async () => {
        const store = makeStore();
        const first = await store.insertNumbered('20261124', sampleTicket('TS-20261124-0000'), 'conversation-step-1');
        // A retry of the same step, even a day later and with the draft built again: the stored ticket, as stored.
        const retried = await store.insertNumbered('20261125', sampleTicket('TS-20261125-0000', { description: '电梯又坏了' }), 'conversation-step-1');
        expect(retried).toEqual(first);
        expect(await store.get(first.id)).toEqual(first);
        expect((await store.countByStatus()).received).toBe(1);
        expect(await store.nextId('20261124')).toBe('TS-20261124-0002');
        expect(await store.nextId('20261125')).toBe('TS-20261125-0001');
        // Another step, or no key at all, is another ticket.
        const other = await store.insertNumbered('20261124', sampleTicket('TS-20261124-0000'), 'conversation-step-2');
        const unkeyed = await store.insertNumbered('20261124', sampleTicket('TS-20261124-0000'));
        expect(new Set([first.id, other.id, unkeyed.id]).size).toBe(3);
        expect((await store.countByStatus()).received).toBe(3);
    });

    it('opens one ticket when the same step is retried at the same moment', async () => {
        const store = makeStore();
        const tries = await Promise.all(Array.from({ length: 8 }, () => store.insertNumbered('20261124', sampleTicket('TS-20261124-0000'), 'conversation-step-x')));
        expect(new Set(tries.map((t) => t.id)).size).toBe(1);
        expect((await store.countByStatus()).received).toBe(1);
    });

    it('hands out readable ids, one sequence per day', async () => {
        const store = makeStore();
        expect(await store.nextId('20261124')).toBe('TS-20261124-0001');
        expect(await store.nextId('20261124')).toBe('TS-20261124-0002');
        expect(await store.nextId('20261125')).toBe('TS-20261125-0001');
    });

    it('stores and reads a ticket, and refuses a second insert of the same id', async () => {
        const store = makeStore();
        const ticket = sampleTicket('TS-20261124-0001');
        await store.insert(ticket);
        expect(await store.get(ticket.id)).toEqual(ticket);
        expect(await store.get('TS-20990101-0001')).toBeNull();
        await expect(store.insert(ticket)).rejects.toBeInstanceOf(TicketConflictError);
    });

    it('replaces only at the expected version', async () => {
        const store = makeStore();
        const ticket = sampleTicket('TS-20261124-0001');
        await store.insert(ticket);
        const moved = { ...ticket, status: 'in_progress' as const, version: 2 };
        await store.replace(moved, 1);
        await expect(store.replace({ ...ticket, status: 'replied', version: 2 }, 1)).rejects.toBeInstanceOf(TicketConflictError);
        expect((await store.get(ticket.id))?.status).toBe('in_progress');
    });

    it('finds follow-ups that are due, replied and not yet asked, oldest due first', async () => {
        const store = makeStore();
        const followUp = (dueAt: string | null) => ({ dueAt, trigger: 'scheduled' as const, askedAt: null, doneAt: null, result: null });
        const replied = { status: 'replied' as const };
        await store.insert(sampleTicket('TS-20261124-0001', { ...replied, followUp: followUp('2026-11-25T02:00:00.000Z') }));
        await store.insert(sampleTicket('TS-20261124-0002', { ...replied, followUp: followUp('2026-11-24T12:00:00.000Z') }));
        await store.insert(sampleTicket('TS-20261124-0003', { ...replied, followUp: followUp('2026-11-30T02:00:00.000Z') }));
        await store.insert(sampleTicket('TS-20261124-0004', { ...replied, followUp: { ...followUp(null), trigger: 'after_first_rain' } }));
        // Due, but staff have not replied yet: the visit would check a fix that has not been made.
        await store.insert(sampleTicket('TS-20261124-0005', { followUp: followUp('2026-11-24T06:00:00.000Z') }));
        const due = async () => (await store.dueFollowUps(new Date('2026-11-26T00:00:00Z'), 10)).map((t) => t.id);
        expect(await due()).toEqual(['TS-20261124-0002', 'TS-20261124-0001']);
        const asked = sampleTicket('TS-20261124-0002', { ...replied, followUp: { ...followUp('2026-11-24T12:00:00.000Z'), askedAt: '2026-11-26T00:00:00.000Z' }, version: 2 });
        await store.replace(asked, 1);
        expect(await due()).toEqual(['TS-20261124-0001']);
        // Staff trigger the leak's follow-up after the first rain by giving it a due time.
        await store.replace(sampleTicket('TS-20261124-0004', { ...replied, followUp: followUp('2026-11-25T00:00:00.000Z'), version: 2 }), 1);
        expect(await due()).toEqual(['TS-20261124-0004', 'TS-20261124-0001']);
        // Once staff reply, the waiting one is ready too.
        await store.replace(sampleTicket('TS-20261124-0005', { ...replied, followUp: followUp('2026-11-24T06:00:00.000Z'), version: 2 }), 1);
        expect(await due()).toEqual(['TS-20261124-0005', 'TS-20261124-0004', 'TS-20261124-0001']);
    });

    it('does not let a backlog of unreplied due tickets hide one that is ready for its visit', async () => {
        const store = makeStore();
        const followUp = (dueAt: string) => ({ dueAt, trigger: 'scheduled' as const, askedAt: null, doneAt: null, result: null });
        for (let i = 1; i <= 60; i++) {
            await store.insert(sampleTicket(`TS-20261120-${String(i).padStart(4, '0')}`, { followUp: followUp('2026-11-21T00:00:00.000Z') }));
        }
        await store.insert(sampleTicket('TS-20261124-0001', { status: 'replied', followUp: followUp('2026-11-25T00:00:00.000Z') }));
        expect((await store.dueFollowUps(new Date('2026-11-26T00:00:00Z'), 50)).map((t) => t.id)).toEqual(['TS-20261124-0001']);
    });

    it('lists newest first and filters by status, kind, category, owner and creation time', async () => {
        const store = makeStore();
        await store.insert(sampleTicket('TS-20261101-0001', { createdAt: '2026-11-01T01:00:00.000Z' }));
        await store.insert(sampleTicket('TS-20261102-0001', { createdAt: '2026-11-02T01:00:00.000Z', kind: 'repair', ownerId: 'owner-2' }));
        await store.insert(sampleTicket('TS-20261203-0001', { createdAt: '2026-12-03T01:00:00.000Z', category: 'fee' }));
        const moved = { ...sampleTicket('TS-20261101-0001', { createdAt: '2026-11-01T01:00:00.000Z' }), status: 'in_progress' as const, version: 2 };
        await store.replace(moved, 1);

        expect((await store.list({})).map((t) => t.id)).toEqual(['TS-20261203-0001', 'TS-20261102-0001', 'TS-20261101-0001']);
        expect((await store.list({ status: 'in_progress' })).map((t) => t.id)).toEqual(['TS-20261101-0001']);
        expect((await store.list({ status: 'received' })).map((t) => t.id)).toEqual(['TS-20261203-0001', 'TS-20261102-0001']);
        expect((await store.list({ kind: 'repair' })).map((t) => t.id)).toEqual(['TS-20261102-0001']);
        expect((await store.list({ category: 'fee' })).map((t) => t.id)).toEqual(['TS-20261203-0001']);
        expect((await store.list({ ownerId: 'owner-2' })).map((t) => t.id)).toEqual(['TS-20261102-0001']);
        const november = { createdFrom: new Date('2026-11-01T00:00:00Z'), createdTo: new Date('2026-12-01T00:00:00Z') };
        expect((await store.list(november)).map((t) => t.id)).toEqual(['TS-20261102-0001', 'TS-20261101-0001']);
        expect(await store.list({}, 1)).toHaveLength(1);
        expect(await store.countByStatus()).toEqual({ received: 2, in_progress: 1, replied: 0, revisited: 0, closed: 0 });
    });

    it('pages newest first through every ticket exactly once, equal times by id, and counts under each filter', async () => {
        const store = makeStore();
        const inserted: string[] = [];
        for (let i = 0; i < 45; i++) {
            // Three tickets share each hour, so pages must break ties by id.
            const id = dayId(1 + Math.floor(i / 3), (i % 3) + 1);
            await store.insert(sampleTicket(id, { createdAt: hour(Math.floor(i / 3)), kind: i % 5 === 0 ? 'repair' : 'complaint', category: i % 2 ? 'fee' : 'facility' }));
            inserted.push(id);
        }
        const newestFirst = [...inserted].reverse();
        expect(await pageThrough(store, {}, 7)).toEqual(newestFirst);
        expect(await pageThrough(store, { kind: 'repair' }, 2)).toEqual(newestFirst.filter((_, i) => (44 - i) % 5 === 0));
        expect(await pageThrough(store, { category: 'fee', status: 'received' }, 4)).toEqual(newestFirst.filter((_, i) => (44 - i) % 2 === 1));
        expect(await store.count({})).toBe(45);
        expect(await store.count({ kind: 'repair' })).toBe(9);
        expect(await store.count({ category: 'fee' })).toBe(22);
        expect(await store.count({ category: 'fee', kind: 'repair' })).toBe(4);
        expect(await store.count({ status: 'closed' })).toBe(0);
        expect(await store.count({ createdFrom: new Date(hour(3)), createdTo: new Date(hour(5)) })).toBe(6);
    });

    it('keeps its place between pages while tickets are added and change status (a keyset cursor)', async () => {
        const store = makeStore();
        for (let i = 1; i <= 20; i++) await store.insert(sampleTicket(dayId(10, i), { createdAt: hour(200 + i) }));
        const first = await store.list({ status: 'received' }, 5);
        const cursor = ticketPosition(first.at(-1)!);
        // Meanwhile a new ticket arrives (newest: before the cursor), and two further down move on to in_progress.
        await store.insert(sampleTicket(dayId(11, 1), { createdAt: hour(300) }));
        for (const id of [dayId(10, 10), dayId(10, 3)]) await store.replace({ ...(await store.get(id))!, status: 'in_progress', version: 2 }, 1);
        const rest: string[] = [];
        for (let after: TicketPosition | null = cursor; ; ) {
            const page = await store.list({ status: 'received' }, 5, after);
            rest.push(...page.map((t) => t.id));
            if (page.length < 5) break;
            after = ticketPosition(page.at(-1)!);
        }
        const expected = Array.from({ length: 15 }, (_, i) => dayId(10, 15 - i)).filter((id) => id !== dayId(10, 10) && id !== dayId(10, 3));
        expect(rest).toEqual(expected);
        expect(first.map((t) => t.id)).toEqual([20, 19, 18, 17, 16].map((n) => dayId(10, n)));
        expect((await store.list({ status: 'received' }, 1))[0]?.id).toBe(dayId(11, 1));
    });
}
