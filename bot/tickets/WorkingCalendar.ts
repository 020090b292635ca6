import { z } from 'zod';
import { loadDataFile } from '../dataFile';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const CalendarFile = z.object({
    /** The estate's offset from UTC (China: +480, no daylight saving). */
    utcOffsetMinutes: z.number().int().min(-720).max(840),
    weekend: z.array(z.number().int().min(0).max(6)),
    holidays: z.array(Day),
    /** Weekend days that are worked (调休). */
    workdays: z.array(Day),
    /** How a deadline is said to an owner; {time} is HH:MM local, {month} and {day} are numbers. */
    say: z
        .object({
            today: z.string().includes('{time}'),
            tomorrow: z.string().includes('{time}'),
            otherDay: z.string().includes('{time}').includes('{month}').includes('{day}'),
        })
        .strict(),
});

const DAY_MS = 24 * 3600 * 1000;

/** Working days in the estate's time zone, from a calendar kept as data (knowledge/calendar.json). */
export class WorkingCalendar {
    private readonly holidays: Set<string>;
    private readonly workdays: Set<string>;

    constructor(private readonly data: z.infer<typeof CalendarFile>) {
        this.holidays = new Set(data.holidays);
        this.workdays = new Set(data.workdays);
    }

    /** The estate's offset from UTC in minutes (its clock: the agents' console shows times by it). */
    get utcOffsetMinutes(): number {
        return this.data.utcOffsetMinutes;
    }

    static fromFile(file: string): WorkingCalendar {
        return new WorkingCalendar(loadDataFile(file, CalendarFile));
    }

    /** The local calendar day of an instant, as YYYY-MM-DD. */
    localDay(at: Date): string {
        return new Date(at.getTime() + this.data.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
    }

    /** The local month of an instant's [start, end) as UTC instants, for YYYY-MM. */
    monthRange(month: string): { from: Date; to: Date } {
        const [y, m] = month.split('-').map(Number) as [number, number];
        const offset = this.data.utcOffsetMinutes * 60_000;
        return { from: new Date(Date.UTC(y, m - 1, 1) - offset), to: new Date(Date.UTC(y, m, 1) - offset) };
    }

    /** A deadline in words an owner reads at a glance (local time), worded by the calendar file's `say`. */
    describe(at: Date, now: Date): string {
        const local = new Date(at.getTime() + this.data.utcOffsetMinutes * 60_000);
        const time = local.toISOString().slice(11, 16);
        const day = this.localDay(at);
        const { say } = this.data;
        const wording = day === this.localDay(now) ? say.today : day === this.localDay(new Date(now.getTime() + DAY_MS)) ? say.tomorrow : say.otherDay;
        return wording.replace('{time}', time).replace('{month}', String(local.getUTCMonth() + 1)).replace('{day}', String(local.getUTCDate()));
    }

    isWorkingDay(day: string): boolean {
        if (this.workdays.has(day)) return true;
        if (this.holidays.has(day)) return false;
        return !this.data.weekend.includes(new Date(`${day}T00:00:00Z`).getUTCDay());
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
}
