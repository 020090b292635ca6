import { expect, it } from 'vitest';
import { TicketConflictError, type Ticket } from '../../bot/tickets/Ticket';
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
}
