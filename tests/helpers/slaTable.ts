import type { TicketKind } from '../../bot/tickets/Ticket';

/**
 * The SLA rules as a table, against the estate's data (knowledge/calendar.json) and chinese-days:
 * service hours 08:00–18:00 on working days and 09:00–17:00 on rest days and holidays; the repair duty takes calls
 * until 22:00; emergencies run on the clock. Promises: 15-minute response, 24-hour feedback, a reply within one
 * working day for spoken complaints (phone, visit, and chat on web or WeChat, which is answered the same way) and
 * three for written ones (a letter). All times are Beijing time, whatever TZ the process runs in.
 */
export const local = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);

export interface SlaRow {
    why: string;
    at: string;
    kind: TicketKind;
    medium: 'chat' | 'phone' | 'visit' | 'written';
    response: string;
    feedback: string;
    reply: string;
}

// Weekdays: 2026-11-24 Tue, 2026-11-28 Sat, 2026-09-30 Wed, 2026-10-10 Sat (worked, 调休), 2026-12-31 Thu,
// 2027-02-05 Fri.
export const SLA_TABLE: SlaRow[] = [
    {
        why: 'a complaint in office hours: 15 minutes on the clock, 24 hours on the clock, one working day (chat is answered like a call)',
        at: '2026-11-24 10:00',
        kind: 'complaint',
        medium: 'chat',
        response: '2026-11-24 10:15',
        feedback: '2026-11-25 10:00',
        reply: '2026-11-25 10:00',
    },
    {
        why: 'a complaint at 23:10 on a working day: response at opening + 15 min; the 24 hours end at night, so feedback is due at the close before; the reply counts from the next opening',
        at: '2026-11-24 23:10',
        kind: 'complaint',
        medium: 'chat',
        response: '2026-11-25 08:15',
        feedback: '2026-11-25 18:00',
        reply: '2026-11-26 08:00',
    },
    {
        why: 'the same complaint in a letter is written: three working days',
        at: '2026-11-24 23:10',
        kind: 'complaint',
        medium: 'written',
        response: '2026-11-25 08:15',
        feedback: '2026-11-25 18:00',
        reply: '2026-11-30 08:00',
    },
    {
        why: 'an emergency at 23:10 runs on the clock: 15 minutes, 24 hours',
        at: '2026-11-24 23:10',
        kind: 'emergency',
        medium: 'chat',
        response: '2026-11-24 23:25',
        feedback: '2026-11-25 23:10',
        reply: '2026-11-26 08:00',
    },
    {
        why: 'a repair at 20:30 is covered by the night duty (until 22:00)',
        at: '2026-11-24 20:30',
        kind: 'repair',
        medium: 'chat',
        response: '2026-11-24 20:45',
        feedback: '2026-11-25 20:30',
        reply: '2026-11-26 08:00',
    },
    {
        why: 'a repair at 21:50: ten minutes of duty left, the other five after the next opening',
        at: '2026-11-24 21:50',
        kind: 'repair',
        medium: 'phone',
        response: '2026-11-25 08:05',
        feedback: '2026-11-25 21:50',
        reply: '2026-11-26 08:00',
    },
    {
        why: 'a complaint at 20:30 is not the duty’s: opening + 15 min',
        at: '2026-11-24 20:30',
        kind: 'complaint',
        medium: 'phone',
        response: '2026-11-25 08:15',
        feedback: '2026-11-25 18:00',
        reply: '2026-11-26 08:00',
    },
    {
        why: 'a complaint at 17:50: ten minutes before closing, five after the next opening; the reply is the same time a working day later',
        at: '2026-11-24 17:50',
        kind: 'complaint',
        medium: 'phone',
        response: '2026-11-25 08:05',
        feedback: '2026-11-25 17:50',
        reply: '2026-11-25 17:50',
    },
    {
        why: 'a Saturday is a rest day: the desk opens at 09:00 and Sunday’s 08:20 is before opening, so feedback is due at Saturday’s close; the reply counts from Monday’s opening',
        at: '2026-11-28 08:20',
        kind: 'complaint',
        medium: 'chat',
        response: '2026-11-28 09:15',
        feedback: '2026-11-28 17:00',
        reply: '2026-12-01 08:00',
    },
    {
        why: 'a Saturday worked in lieu (2026-10-10) keeps working-day hours and counts as a working day; Sunday 08:20 is before the rest-day opening, so feedback is due at its close',
        at: '2026-10-10 08:20',
        kind: 'complaint',
        medium: 'phone',
        response: '2026-10-10 08:35',
        feedback: '2026-10-10 18:00',
        reply: '2026-10-12 08:20',
    },
    {
        why: 'a written complaint the day before National Day: three working days are 10-08, 10-09 and the worked Saturday 10-10',
        at: '2026-09-30 10:00',
        kind: 'complaint',
        medium: 'written',
        response: '2026-09-30 10:15',
        feedback: '2026-10-01 10:00',
        reply: '2026-10-10 10:00',
    },
    {
        why: 'on National Day itself the desk keeps rest-day hours; the reply counts from the first working morning after the holiday',
        at: '2026-10-01 10:00',
        kind: 'complaint',
        medium: 'chat',
        response: '2026-10-01 10:15',
        feedback: '2026-10-02 10:00',
        reply: '2026-10-09 08:00',
    },
    {
        why: 'into a year chinese-days does not cover: 2027-01-01 is a rest day by the data file’s override, the rest by weekends only',
        at: '2026-12-31 10:00',
        kind: 'complaint',
        medium: 'written',
        response: '2026-12-31 10:15',
        feedback: '2027-01-01 10:00',
        reply: '2027-01-06 10:00',
    },
    {
        why: 'inside the uncovered year, weekends only: Monday 2027-02-08 counts as a working day',
        at: '2027-02-05 16:00',
        kind: 'complaint',
        medium: 'phone',
        response: '2027-02-05 16:15',
        feedback: '2027-02-06 16:00',
        reply: '2027-02-08 16:00',
    },
];

/** (due, now, kind) → the words an owner reads before "前". Now is Tuesday 2026-11-24 10:00 unless said. */
export const SLA_WORDS: { why: string; due: string; now?: string; kind?: TicketKind; say: string }[] = [
    { why: 'rounded up to the half hour, afternoon', due: '2026-11-24 16:40', say: '今天下午5点' },
    { why: 'a half hour stays', due: '2026-11-24 15:30', say: '今天下午3点半' },
    { why: 'noon', due: '2026-11-24 12:10', say: '今天中午12点半' },
    { why: 'tomorrow morning', due: '2026-11-25 09:55', say: '明天上午10点' },
    { why: 'opening + 15 min said as the half hour', due: '2026-11-25 08:15', say: '明天上午8点半' },
    { why: 'evening duty', due: '2026-11-24 20:45', say: '今天晚上9点' },
    { why: 'further days by date and weekday', due: '2026-11-27 09:25', say: '11月27日（周五）上午9点半' },
    { why: 'across the holiday', due: '2026-10-09 09:10', now: '2026-09-30 10:00', say: '10月9日（周五）上午9点半' },
    { why: 'the day after tomorrow is a date too', due: '2026-11-26 18:00', say: '11月26日（周四）下午6点' },
    { why: 'an emergency is said to the minute, at night too', due: '2026-11-24 23:25', now: '2026-11-24 23:10', kind: 'emergency', say: '今天晚上11点25分' },
    { why: 'an emergency past midnight', due: '2026-11-25 00:10', now: '2026-11-24 23:55', kind: 'emergency', say: '明天凌晨0点10分' },
    { why: 'rounding up to 22:00 is still said', due: '2026-11-24 21:45', say: '今天晚上10点' },
    { why: 'a non-emergency deadline in the night is never said as a night time', due: '2026-11-24 23:10', say: '今天晚上10点' },
    { why: 'nor in the small hours: the evening before', due: '2026-11-25 05:00', say: '今天晚上10点' },
    { why: 'rounded to midnight: said as the evening', due: '2026-11-24 23:58', now: '2026-11-24 23:40', kind: 'emergency', say: '今天晚上12点' },
];

