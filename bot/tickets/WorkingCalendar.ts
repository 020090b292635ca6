import chineseDays from 'chinese-days/dist/chinese-days.json';
import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import { TicketKinds, TicketMedia, type TicketKind } from './Ticket';
import { Clock, DeadlineWording, DeadlineWords, QuietHours, minutesOf } from './DeadlineWording';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Why = z.string().min(10);
const Hours = z
    .object({ open: Clock, close: Clock })
    .strict()
    .refine((h) => h.open < h.close, 'open must come before close');

export const CalendarFile = z
    .object({
        $comment: z.string().optional(),
        /** The estate's offset from UTC (China: +480, no daylight saving). */
        utcOffsetMinutes: z.number().int().min(-720).max(840),
        utcOffsetWhy: Why,
        /** Rest days of the week, for years the holiday library does not cover. */
        weekend: z.array(z.number().int().min(0).max(6)),
        weekendWhy: Why,
        /** Single days that override the library (or the weekend rule): worked or not, and why. */
        days: z.record(Day, z.object({ work: z.boolean(), why: z.string().min(5) }).strict()),
        serviceHours: z.object({ workday: Hours, restDay: Hours, why: Why }).strict(),
        nightDuty: z.object({ kinds: z.array(TicketKinds), until: Clock, why: Why }).strict(),
        onTheClock: z.object({ kinds: z.array(TicketKinds).min(1), why: Why }).strict(),
        quietHours: QuietHours,
        promises: z
            .object({
                responseMinutes: z.number().int().min(1).max(24 * 60),
                feedbackHours: z.number().int().min(1).max(24 * 14),
                /** By how the complaint reached us (the ticket's medium). */
                replyWorkingDays: z.record(TicketMedia, z.number().int().min(1).max(30)),
                followUpHours: z.object({ urgent: z.number().int().min(1), normal: z.number().int().min(1) }).strict(),
                why: Why,
            })
            .strict(),
        say: DeadlineWords,
    })
    .strict()
    .superRefine((data, ctx) => {
        // Nobody but the emergency duty works in the quiet hours: a window reaching into them would promise a call at night.
        const { from, to } = data.quietHours;
        const check = (value: string, path: (string | number)[]) => {
            if (value < to || value > from) ctx.addIssue({ code: 'custom', path, message: `${value} lies in the quiet hours (${from}–${to})` });
        };
        for (const kind of ['workday', 'restDay'] as const) {
            check(data.serviceHours[kind].open, ['serviceHours', kind, 'open']);
            check(data.serviceHours[kind].close, ['serviceHours', kind, 'close']);
            if (data.nightDuty.kinds.length > 0 && data.nightDuty.until < data.serviceHours[kind].close)
                ctx.addIssue({ code: 'custom', path: ['nightDuty', 'until'], message: `night duty must last at least until the ${kind} close` });
        }
        check(data.nightDuty.until, ['nightDuty', 'until']);
    });
export type CalendarFile = z.infer<typeof CalendarFile>;

/**
 * chinese-days' published data (the JSON its README offers for direct use): days off, including the weekend days
 * inside a holiday, and weekend days worked in lieu. Read as data rather than through its isWorkday(): that reads a
 * date in the server's own time zone and is a day off west of UTC (Monday 2026-10-12 came out a rest day under
 * TZ=America/New_York).
 */
const LIBRARY = holidayData(chineseDays);
const LIBRARY_YEARS = new Set(Object.keys(LIBRARY.holidays).map((day) => Number(day.slice(0, 4))));

/**
 * The package's data checked by hand: its shape is what the lookups need, and a zod parse of its seven hundred days
 * cost ~35 ms of the start-up budget (2 s to the first answer).
 */
function holidayData(data: unknown): { holidays: Record<string, string>; workdays: Record<string, string> } {
    const isDays = (value: unknown): value is Record<string, string> =>
        typeof value === 'object' && value !== null && Object.entries(value).every(([day, name]) => /^\d{4}-\d{2}-\d{2}$/.test(day) && typeof name === 'string');
    const { holidays, workdays } = (data ?? {}) as { holidays?: unknown; workdays?: unknown };
    if (!isDays(holidays) || !isDays(workdays)) throw new Error('chinese-days/dist/chinese-days.json: expected {holidays, workdays} keyed by YYYY-MM-DD');
    return { holidays, workdays };
}

const DAY_MS = 24 * 3600 * 1000;
const MINUTE_MS = 60_000;

/** A staffed stretch of one local day, as UTC instants. */
export interface Window {
    start: Date;
    end: Date;
}

/**
 * The estate's days and hours in its own time zone: working days (holidays and worked weekends from chinese-days,
 * single days from knowledge/calendar.json, weekends alone for a year the library does not cover), the staffed hours
 * of each day for each kind of ticket, and the deadline wording owners read.
 */
export class WorkingCalendar {
    private readonly wording: DeadlineWording;

    constructor(readonly data: CalendarFile) {
        this.wording = new DeadlineWording(this, data.say, data.quietHours);
    }

    /** The estate's offset from UTC in minutes (its clock: the agents' console shows times by it). */
    get utcOffsetMinutes(): number {
        return this.data.utcOffsetMinutes;
    }

    static fromFile(file: string): WorkingCalendar {
        return new WorkingCalendar(loadDataFile(file, CalendarFile));
    }

    get promises(): CalendarFile['promises'] {
        return this.data.promises;
    }

    /** The local calendar day of an instant, as YYYY-MM-DD. */
    localDay(at: Date): string {
        return new Date(at.getTime() + this.data.utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
    }

    /** Minutes since local midnight. */
    localMinutes(at: Date): number {
        const local = new Date(at.getTime() + this.data.utcOffsetMinutes * MINUTE_MS);
        return local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60 + local.getUTCMilliseconds() / MINUTE_MS;
    }

    /** The instant of a local day's time (minutes since its midnight). */
    at(day: string, minutes: number): Date {
        return new Date(Date.parse(`${day}T00:00:00Z`) + (minutes - this.data.utcOffsetMinutes) * MINUTE_MS);
    }

    nextDay(day: string): string {
        return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    }

    previousDay(day: string): string {
        return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
    }

    /** 0 = Sunday, of a local day. */
    weekday(day: string): number {
        return new Date(`${day}T00:00:00Z`).getUTCDay();
    }

    /** The local month's [start, end) as UTC instants, for YYYY-MM. */
    monthRange(month: string): { from: Date; to: Date } {
        const [y, m] = month.split('-').map(Number) as [number, number];
        const offset = this.data.utcOffsetMinutes * MINUTE_MS;
        return { from: new Date(Date.UTC(y, m - 1, 1) - offset), to: new Date(Date.UTC(y, m, 1) - offset) };
    }

    /** Whether chinese-days has the year's arrangement (every published year has holidays). */
    coversYear(year: number): boolean {
        return LIBRARY_YEARS.has(year);
    }

    /** Of these years, the ones whose working days are guessed from weekends alone. */
    uncoveredYears(years: number[]): number[] {
        return years.filter((year) => !this.coversYear(year));
    }

    /** The days the data file overrides within these years. */
    overriddenDays(years: number[]): string[] {
        return Object.keys(this.data.days).filter((day) => years.includes(Number(day.slice(0, 4))));
    }

    isWorkingDay(day: string): boolean {
        const override = this.data.days[day];
        if (override) return override.work;
        if (LIBRARY.workdays[day] !== undefined) return true;
        if (LIBRARY.holidays[day] !== undefined) return false;
        // A covered year's other days, and every day of an uncovered one, follow the week.
        return !this.data.weekend.includes(this.weekday(day));
    }

    /** Whether a kind of ticket is attended around the clock. */
    onTheClock(kind: TicketKind): boolean {
        return this.data.onTheClock.kinds.includes(kind);
    }

    /** The desk's hours on a local day: working-day hours on working days (worked weekends too), else rest-day hours. */
    deskHours(day: string): Window {
        const hours = this.isWorkingDay(day) ? this.data.serviceHours.workday : this.data.serviceHours.restDay;
        return { start: this.at(day, minutesOf(hours.open)), end: this.at(day, minutesOf(hours.close)) };
    }

    /** Who attends a kind of ticket on a local day: the desk, lengthened by the night duty for the kinds it takes. */
    staffedHours(day: string, kind: TicketKind): Window {
        const desk = this.deskHours(day);
        if (!this.data.nightDuty.kinds.includes(kind)) return desk;
        const until = this.at(day, minutesOf(this.data.nightDuty.until));
        return { start: desk.start, end: until > desk.end ? until : desk.end };
    }

    /** The same local time `days` working days later (a message on Friday afternoon is due Monday afternoon). */
    addWorkingDays(at: Date, days: number): Date {
        let t = at.getTime();
        let left = days;
        while (left > 0) {
            t += DAY_MS;
            if (this.isWorkingDay(this.localDay(new Date(t)))) left -= 1;
        }
        return new Date(t);
    }

    /** A deadline in words an owner reads at a glance ("明天上午10点"), worded by the calendar file's `say`. */
    describe(at: Date, now: Date, kind: TicketKind = 'complaint'): string {
        return this.wording.say(at, now, this.onTheClock(kind));
    }
}
