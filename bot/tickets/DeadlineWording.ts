import { z } from 'zod';
import { fillLine } from '../Lines';

const MINUTE_MS = 60_000;

/** A local time of day, HH:MM. */
export const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const Why = z.string().min(10);

/** The hours nobody but the emergency duty is called in (knowledge/calendar.json, `quietHours`). */
export const QuietHours = z.object({ from: Clock, to: Clock, why: Why }).strict();
export type QuietHours = z.infer<typeof QuietHours>;

/** How deadlines are said (knowledge/calendar.json, `say`). */
export const DeadlineWords = z
    .object({
        today: z.string().includes('{time}'),
        tomorrow: z.string().includes('{time}'),
        otherDay: z.string().includes('{time}').includes('{month}').includes('{day}'),
        weekdays: z.array(z.string().min(1)).length(7),
        /** Parts of the day by their local start time, in order (凌晨, 上午, …). */
        parts: z
            .array(z.object({ from: Clock, word: z.string().min(1) }).strict())
            .min(1)
            .refine((parts) => parts[0]?.from === '00:00' && parts.every((p, i) => i === 0 || parts[i - 1]!.from < p.from), 'parts start at 00:00, in order'),
        onTheHour: z.string().includes('{hour}'),
        onTheHalfHour: z.string().includes('{hour}'),
        minutes: z.string().includes('{hour}').includes('{minute}'),
        /** 00:00 is said as the evening before's 12 o'clock. */
        midnight: z.string().min(1),
        roundUpMinutes: z.object({ default: z.number().int().min(1).max(60), onTheClock: z.number().int().min(1).max(60) }).strict(),
        why: Why,
    })
    .strict();
export type DeadlineWords = z.infer<typeof DeadlineWords>;

/** What the wording reads of the calendar: the estate's own days and minutes (WorkingCalendar). */
export interface LocalDays {
    localDay(at: Date): string;
    localMinutes(at: Date): number;
    nextDay(day: string): string;
    previousDay(day: string): string;
    weekday(day: string): number;
}

/** Minutes since midnight of a local HH:MM. */
export function minutesOf(clock: string): number {
    const [h, m] = clock.split(':').map(Number) as [number, number];
    return h * 60 + m;
}

/**
 * Says a deadline the way a person would ("今天下午5点", "明天上午10点", "10月9日（周五）上午9点半"): rounded up (never
 * earlier than the ticket's deadline), in the estate's time, and never as a night-time hour for anything the duty does
 * not attend at night. The words are data (knowledge/calendar.json, `say`).
 */
export class DeadlineWording {
    constructor(
        private readonly calendar: LocalDays,
        private readonly say_: DeadlineWords,
        private readonly quiet: QuietHours,
    ) {}

    say(due: Date, now: Date, onTheClock: boolean): string {
        const step = (onTheClock ? this.say_.roundUpMinutes.onTheClock : this.say_.roundUpMinutes.default) * MINUTE_MS;
        // Rounded on local minutes since midnight (steps divide the hour), so 09:55:23 becomes 10:00.
        let day = this.calendar.localDay(due);
        let minutes = Math.ceil((this.calendar.localMinutes(due) * MINUTE_MS) / step) * (step / MINUTE_MS);
        if (minutes >= 24 * 60) {
            day = this.calendar.nextDay(day);
            minutes -= 24 * 60;
        }
        if (!onTheClock) {
            // Nobody calls in the quiet hours: a deadline there is said as their start, the evening it falls in or before.
            const from = minutesOf(this.quiet.from);
            const to = minutesOf(this.quiet.to);
            if (minutes > from) minutes = from;
            else if (minutes < to) {
                day = this.calendar.previousDay(day);
                minutes = from;
            }
        }
        let time: string;
        if (minutes === 0) {
            // Midnight belongs to the evening before ("今天晚上12点"), not to a day that has not begun.
            day = this.calendar.previousDay(day);
            time = this.say_.midnight;
        } else {
            time = this.time(minutes);
        }
        const today = this.calendar.localDay(now);
        const template = day === today ? this.say_.today : day === this.calendar.nextDay(today) ? this.say_.tomorrow : this.say_.otherDay;
        const [, month, date] = day.split('-').map(Number) as [number, number, number];
        return fillLine(template, { time, month: String(month), day: String(date), weekday: this.say_.weekdays[this.calendar.weekday(day)] ?? '' });
    }

    /** 13:30 → 下午1点半; 00:10 → 凌晨0点10分; 12:00 → 中午12点. */
    private time(minutes: number): string {
        const hour24 = Math.floor(minutes / 60);
        const minute = minutes % 60;
        const part = [...this.say_.parts].reverse().find((p) => minutesOf(p.from) <= minutes)?.word ?? '';
        const hour = String(hour24 > 12 ? hour24 - 12 : hour24);
        const template = minute === 0 ? this.say_.onTheHour : minute === 30 ? this.say_.onTheHalfHour : this.say_.minutes;
        return fillLine(template, { part, hour, minute: String(minute) });
    }
}
