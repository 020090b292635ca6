import type { TicketKind, TicketMedium } from './Ticket';
import type { WorkingCalendar, Window } from './WorkingCalendar';

const MINUTE_MS = 60_000;
/** Far enough to cross any holiday; a calendar with no staffed minute in it is broken data, not a deadline. */
const MAX_DAYS = 60;

export interface TicketDeadlines {
    responseDueAt: Date;
    feedbackDueAt: Date;
    replyDueAt: Date;
}

/**
 * The service promises (knowledge/calendar.json, `promises`) counted on the estate's hours:
 * - response: minutes of staffed time (the desk, or the night duty for the kinds it takes); on the clock for emergencies;
 * - feedback: hours on the clock, brought back to the close before when they end outside staffed hours (so never later
 *   than promised), or on to the next opening if that close comes before the response;
 * - reply: working days by medium (spoken one, written three), counted from the next working-day opening when the
 *   ticket came outside working-day hours, so it falls on a working day's hours.
 */
export class SlaDeadlines {
    constructor(private readonly calendar: WorkingCalendar) {}

    forTicket(createdAt: Date, kind: TicketKind, medium: TicketMedium): TicketDeadlines {
        const { promises } = this.calendar;
        const responseDueAt = this.afterStaffedMinutes(createdAt, promises.responseMinutes, kind);
        const feedbackDueAt = this.withinStaffedHours(new Date(createdAt.getTime() + promises.feedbackHours * 60 * MINUTE_MS), kind, responseDueAt);
        const replyDueAt = this.calendar.addWorkingDays(this.workingStart(createdAt), promises.replyWorkingDays[medium] ?? 1);
        return { responseDueAt, feedbackDueAt, replyDueAt };
    }

    /** When Linli asks whether it was fixed: hours on the clock, moved into the desk's hours (nobody is asked at night). */
    followUpDue(createdAt: Date, urgent: boolean): Date {
        const hours = urgent ? this.calendar.promises.followUpHours.urgent : this.calendar.promises.followUpHours.normal;
        return this.withinHours(new Date(createdAt.getTime() + hours * 60 * MINUTE_MS), (day) => this.calendar.deskHours(day), createdAt);
    }

    private afterStaffedMinutes(from: Date, minutes: number, kind: TicketKind): Date {
        if (this.calendar.onTheClock(kind)) return new Date(from.getTime() + minutes * MINUTE_MS);
        let left = minutes * MINUTE_MS;
        let day = this.calendar.localDay(from);
        for (let i = 0; i < MAX_DAYS; i += 1, day = this.calendar.nextDay(day)) {
            const { start, end } = this.calendar.staffedHours(day, kind);
            const begin = Math.max(from.getTime(), start.getTime());
            if (begin >= end.getTime()) continue;
            if (end.getTime() - begin >= left) return new Date(begin + left);
            left -= end.getTime() - begin;
        }
        throw new Error(`no staffed hours for ${kind} within ${MAX_DAYS} days of ${from.toISOString()}: check knowledge/calendar.json`);
    }

    private withinStaffedHours(due: Date, kind: TicketKind, notBefore: Date): Date {
        if (this.calendar.onTheClock(kind)) return due;
        return this.withinHours(due, (day) => this.calendar.staffedHours(day, kind), notBefore);
    }

    /** `due` if staffed; else the close before it, unless that comes before `notBefore`: then the next opening. */
    private withinHours(due: Date, hours: (day: string) => Window, notBefore: Date): Date {
        const day = this.calendar.localDay(due);
        const today = hours(day);
        if (due >= today.start && due <= today.end) return due;
        const closeBefore = due > today.end ? today.end : hours(this.calendar.previousDay(day)).end;
        if (closeBefore >= notBefore) return closeBefore;
        return due < today.start ? today.start : hours(this.calendar.nextDay(day)).start;
    }

    /** The ticket's arrival, or the next working-day opening if it came outside working-day hours. */
    private workingStart(at: Date): Date {
        let day = this.calendar.localDay(at);
        for (let i = 0; i < MAX_DAYS; i += 1, day = this.calendar.nextDay(day)) {
            if (!this.calendar.isWorkingDay(day)) continue;
            const { start, end } = this.calendar.deskHours(day);
            if (at <= end) return at > start ? at : start;
        }
        throw new Error(`no working day within ${MAX_DAYS} days of ${at.toISOString()}: check knowledge/calendar.json`);
    }
}
