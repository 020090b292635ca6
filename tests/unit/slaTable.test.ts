import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TicketKind } from '../../bot/tickets/Ticket';
import { SlaDeadlines } from '../../bot/tickets/SlaDeadlines';
import { WorkingCalendar } from '../../bot/tickets/WorkingCalendar';
import { KNOWLEDGE_DIR } from '../helpers/knowledge';
import { local, SLA_TABLE as TABLE, SLA_WORDS as WORDS } from '../helpers/slaTable';

// The table itself (tests/helpers/slaTable.ts) is shared with the end-to-end check over HTTP.
const calendar = WorkingCalendar.fromFile(join(KNOWLEDGE_DIR, 'calendar.json'));
const sla = new SlaDeadlines(calendar);
const originalTz = process.env.TZ;
afterAll(() => {
    process.env.TZ = originalTz;
});

// The server's own time zone must not matter: the same table in Beijing, UTC and a zone behind UTC.
describe.each(['Asia/Shanghai', 'UTC', 'America/New_York'])('the SLA table with TZ=%s', (tz) => {
    it.each(TABLE)('$at $kind $medium: $why', (row) => {
        process.env.TZ = tz;
        const due = sla.forTicket(local(row.at), row.kind, row.medium);
        expect({ response: due.responseDueAt.toISOString(), feedback: due.feedbackDueAt.toISOString(), reply: due.replyDueAt.toISOString() }).toEqual({
            response: local(row.response).toISOString(),
            feedback: local(row.feedback).toISOString(),
            reply: local(row.reply).toISOString(),
        });
    });

    it.each(WORDS)('says $due as "$say": $why', (row) => {
        process.env.TZ = tz;
        expect(calendar.describe(local(row.due), local(row.now ?? '2026-11-24 10:00'), row.kind ?? 'complaint')).toBe(row.say);
    });
});

describe('the working calendar', () => {
    it('takes holidays and worked weekends from chinese-days, and single days from the data file', () => {
        expect(calendar.isWorkingDay('2026-10-01')).toBe(false); // National Day
        expect(calendar.isWorkingDay('2026-09-25')).toBe(false); // Mid-Autumn Festival, a Friday
        expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // a Saturday worked in lieu
        expect(calendar.isWorkingDay('2026-11-28')).toBe(false); // an ordinary Saturday
        expect(calendar.isWorkingDay('2027-01-01')).toBe(false); // New Year's Day, the data file's override
        expect(calendar.isWorkingDay('2027-02-08')).toBe(true); // uncovered: weekends only
    });

    it('refuses at start-up hours that reach into the quiet hours, naming the field', () => {
        const file = join(mkdtempSync(join(tmpdir(), 'linli-calendar-')), 'calendar.json');
        const data = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'calendar.json'), 'utf8')) as { nightDuty: { until: string }; serviceHours: { restDay: { open: string } } };
        data.nightDuty.until = '23:30';
        data.serviceHours.restDay.open = '06:30';
        writeFileSync(file, JSON.stringify(data));
        expect(() => WorkingCalendar.fromFile(file)).toThrow(/serviceHours\.restDay\.open: 06:30 lies in the quiet hours/);
        expect(() => WorkingCalendar.fromFile(file)).toThrow(/nightDuty\.until: 23:30 lies in the quiet hours/);
    });

    it('asks for the follow-up within the desk’s hours: 24 or 72 hours after a 23:10 ticket fall at night, so the close before', () => {
        expect(sla.followUpDue(local('2026-11-24 23:10'), false).toISOString()).toBe(local('2026-11-27 18:00').toISOString());
        expect(sla.followUpDue(local('2026-11-24 23:10'), true).toISOString()).toBe(local('2026-11-25 18:00').toISOString());
        expect(sla.followUpDue(local('2026-11-24 10:00'), true).toISOString()).toBe(local('2026-11-25 10:00').toISOString());
    });

    it('names the years it can only guess, so start-up can warn', () => {
        expect(calendar.uncoveredYears([2025, 2026, 2027])).toEqual([2027]);
    });

    it('never promises a non-emergency at night: every response and feedback deadline it sets lies between 07:00 and 22:00', () => {
        const kinds: TicketKind[] = ['complaint', 'repair', 'installment', 'callback'];
        for (let minutes = 0; minutes < 8 * 24 * 60; minutes += 37) {
            const at = new Date(local('2026-09-28 00:00').getTime() + minutes * 60_000);
            for (const kind of kinds) {
                const due = sla.forTicket(at, kind, 'chat');
                for (const t of [due.responseDueAt, due.feedbackDueAt, due.replyDueAt]) {
                    const hhmm = new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
                    expect(hhmm >= '07:00' && hhmm <= '22:00', `${kind} at ${at.toISOString()} due ${t.toISOString()}`).toBe(true);
                }
            }
        }
    });
});
