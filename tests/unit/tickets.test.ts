import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteTicketStore } from '../../adapters/tickets/SqliteTicketStore';
import { ComplaintReporter } from '../../bot/tickets/ComplaintReporter';
import { IllegalTransitionError, TicketService, type NewTicket } from '../../bot/tickets/TicketService';
import { WorkingCalendar } from '../../bot/tickets/WorkingCalendar';
import { KNOWLEDGE_DIR } from '../helpers/knowledge';
import { ticketStoreConformance } from '../helpers/ticketStoreConformance';

const dir = mkdtempSync(join(tmpdir(), 'linli-tickets-'));
let n = 0;
const store = () => new SqliteTicketStore(join(dir, `t${++n}.sqlite`));
const calendar = WorkingCalendar.fromFile(join(KNOWLEDGE_DIR, 'calendar.json'));

describe('SqliteTicketStore conformance', () => ticketStoreConformance(store));

describe('WorkingCalendar', () => {
    it('skips weekends and holidays and counts make-up working days', () => {
        expect(calendar.isWorkingDay('2026-11-24')).toBe(true); // Tuesday
        expect(calendar.isWorkingDay('2026-11-28')).toBe(false); // Saturday
        expect(calendar.isWorkingDay('2026-10-01')).toBe(false); // National Day
        expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // a worked Saturday
        // Friday 16:00 in Beijing plus one working day is Monday 16:00.
        expect(calendar.addWorkingDays(new Date('2026-11-27T08:00:00Z'), 1).toISOString()).toBe('2026-11-30T08:00:00.000Z');
        expect(calendar.localDay(new Date('2026-11-24T17:00:00Z'))).toBe('2026-11-25');
    });

    it("says a deadline in the calendar file's words, in local time, never at night but for an emergency", () => {
        const now = new Date('2026-11-24T02:00:00Z'); // 10:00 in Beijing
        expect(calendar.describe(new Date('2026-11-24T08:30:00Z'), now)).toBe('今天下午4点半');
        expect(calendar.describe(new Date('2026-11-24T17:15:00Z'), now)).toBe('今天晚上10点');
        expect(calendar.describe(new Date('2026-11-24T17:15:00Z'), now, 'emergency')).toBe('明天凌晨1点15分');
        expect(calendar.describe(new Date('2026-11-28T08:30:00Z'), now)).toBe('11月28日（周六）下午4点半');
    });
});

const complaint: NewTicket = {
    kind: 'complaint',
    category: 'facility',
    channelId: 'webchat',
    conversationId: 'c-1',
    ownerId: 'owner-1',
    medium: 'chat',
    contact: { phone: '13812345678' },
    location: '5号楼电梯',
    description: '电梯三天两头坏',
    request: '尽快修好',
    subject: null,
    department: '工程部',
};

describe('TicketService', () => {
    const at = (iso: string) => () => new Date(iso);

    it('records what the owner adds after the ticket — who and when — and nothing for a change that changes nothing', async () => {
        const service = new TicketService(store(), calendar, at('2026-11-24T02:00:00Z'));
        const ticket = await service.create({ ...complaint, contact: {} });
        const amended = await service.amend(ticket.id, { contact: { phone: '13900001111', building: '9' }, location: '9号楼电梯', note: '师傅来之前先打电话' }, 'owner');
        expect(amended).toMatchObject({ contact: { phone: '13900001111', building: '9' }, location: '9号楼电梯', version: 2 });
        expect(amended?.history.slice(1)).toEqual([
            { at: '2026-11-24T02:00:00.000Z', by: 'owner', action: 'contact_updated', note: 'phone, building' },
            { at: '2026-11-24T02:00:00.000Z', by: 'owner', action: 'location_updated', note: '9号楼电梯' },
            { at: '2026-11-24T02:00:00.000Z', by: 'owner', action: 'note', note: '师傅来之前先打电话' },
        ]);
        expect((await service.amend(ticket.id, { contact: { phone: '13900001111' } }, 'owner'))?.version).toBe(2);
        expect(await service.amend('TS-20261124-9999', { location: 'x' }, 'owner')).toBeNull();
    });

    it('keeps call-backs out of the complaint report and counts them apart', async () => {
        const service = new TicketService(store(), calendar, at('2026-11-24T02:00:00Z'));
        await service.create(complaint);
        await service.create({ ...complaint, kind: 'callback', category: 'service' });
        const report = await new ComplaintReporter(service, calendar).month('2026-11');
        expect(report).toMatchObject({ total: 1, byCategory: { facility: 1 }, callbacks: 1 });
    });

    it('sets SLA deadlines from the policy and the calendar, and a readable id in local time', async () => {
        const service = new TicketService(store(), calendar, at('2026-11-27T08:00:00Z'));
        const spoken = await service.create({ ...complaint, medium: 'phone' });
        expect(spoken.id).toBe('TS-20261127-0001');
        expect(spoken.sla.responseDueAt).toBe('2026-11-27T08:15:00.000Z');
        expect(spoken.sla.feedbackDueAt).toBe('2026-11-28T08:00:00.000Z');
        expect(spoken.sla.replyDueAt).toBe('2026-11-30T08:00:00.000Z');
        const written = await service.create({ ...complaint, medium: 'written' });
        expect(written.sla.replyDueAt).toBe('2026-12-02T08:00:00.000Z');
        // Chat is answered in the chat or by phone, as a spoken complaint is: one working day.
        expect((await service.create(complaint)).sla.replyDueAt).toBe('2026-11-30T08:00:00.000Z');
        const leak = await service.create({ ...complaint, kind: 'repair', leak: true });
        expect(leak.followUp).toMatchObject({ dueAt: null, trigger: 'after_first_rain' });
        const urgent = await service.create({ ...complaint, kind: 'repair', urgent: true });
        expect(urgent.followUp.dueAt).toBe('2026-11-28T08:00:00.000Z');
    });

    it('moves along the lifecycle with history, refuses illegal moves, records breaches', async () => {
        let now = new Date('2026-11-24T02:00:00Z');
        const service = new TicketService(store(), calendar, () => now);
        const ticket = await service.create(complaint);
        await expect(service.update(ticket.id, { status: 'closed' }, 'alice')).rejects.toBeInstanceOf(IllegalTransitionError);
        now = new Date('2026-11-24T02:30:00Z'); // 30 minutes: the 15-minute response was missed
        const working = await service.update(ticket.id, { status: 'in_progress', handledBy: '王师傅' }, 'alice');
        expect(working?.sla.firstResponseAt).toBe('2026-11-24T02:30:00.000Z');
        expect(working?.sla.breaches).toEqual(['response']);
        now = new Date('2026-11-24T06:00:00Z');
        await service.update(ticket.id, { status: 'replied', note: '已更换电梯门机' }, 'alice');
        await service.update(ticket.id, { status: 'revisited', followUp: { result: { fixed: true, satisfaction: 5, comment: null } } }, 'bob');
        const closed = await service.update(ticket.id, { status: 'closed' }, 'bob');
        expect(closed?.status).toBe('closed');
        expect(closed?.history.map((h) => h.to ?? h.action)).toEqual([
            'received',
            'in_progress',
            'assigned',
            'replied',
            'revisited',
            'follow_up_recorded',
            'closed',
        ]);
        expect(closed?.history.find((h) => h.to === 'replied')).toMatchObject({ by: 'alice', note: '已更换电梯门机' });
        await expect(service.update(ticket.id, { status: 'in_progress' }, 'bob')).rejects.toBeInstanceOf(IllegalTransitionError);
    });

    it('reports a month: by category and status, breaches, median first response, satisfaction', async () => {
        let now = new Date('2026-11-10T02:00:00Z');
        const service = new TicketService(store(), calendar, () => now);
        const a = await service.create(complaint);
        const b = await service.create({ ...complaint, category: 'service' });
        await service.create({ ...complaint, kind: 'repair' });
        now = new Date('2026-11-10T02:10:00Z');
        await service.update(a.id, { status: 'in_progress' }, 'alice');
        now = new Date('2026-11-10T02:30:00Z');
        await service.update(b.id, { status: 'in_progress' }, 'alice');
        await service.update(a.id, { status: 'replied' }, 'alice');
        await service.update(a.id, { status: 'revisited', followUp: { result: { fixed: true, satisfaction: 4, comment: null } } }, 'alice');
        now = new Date('2026-12-01T00:00:00Z');
        const report = await new ComplaintReporter(service, calendar).month('2026-11');
        expect(report).toMatchObject({
            total: 2,
            byCategory: { facility: 1, service: 1 },
            byStatus: { revisited: 1, in_progress: 1 },
            firstResponseMinutes: { median: 20, answered: 2 },
            satisfaction: { average: 4, responses: 1 },
        });
        expect(report.slaBreaches).toEqual({ response: 1, feedback: 1, reply: 1, tickets: 1 });
    });
});
