import type { TicketService } from './TicketService';
import type { WorkingCalendar } from './WorkingCalendar';

export interface ComplaintReport {
    month: string;
    total: number;
    byCategory: Record<string, number>;
    byStatus: Record<string, number>;
    slaBreaches: { response: number; feedback: number; reply: number; tickets: number };
    firstResponseMinutes: { median: number | null; answered: number };
    satisfaction: { average: number | null; responses: number };
    /** Handoffs nobody accepted in time (kind callback): not complaints, so outside every figure above. */
    callbacks: number;
}

/** Monthly complaint statistics, the figures the company's monthly review asks for. */
export class ComplaintReporter {
    constructor(
        private readonly tickets: TicketService,
        private readonly calendar: WorkingCalendar,
    ) {}

    async month(month: string): Promise<ComplaintReport> {
        const { from, to } = this.calendar.monthRange(month);
        const [complaints, callbacks] = await Promise.all([
            this.tickets.list({ kind: 'complaint', createdFrom: from, createdTo: to }, 100_000),
            this.tickets.count({ kind: 'callback', createdFrom: from, createdTo: to }),
        ]);
        const count = (key: (t: (typeof complaints)[number]) => string) =>
            complaints.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});
        const breaches = { response: 0, feedback: 0, reply: 0, tickets: 0 };
        const firstResponses: number[] = [];
        const scores: number[] = [];
        for (const ticket of complaints) {
            const late = this.tickets.overdue(ticket);
            for (const kind of late) breaches[kind] += 1;
            if (late.length > 0) breaches.tickets += 1;
            if (ticket.sla.firstResponseAt) firstResponses.push((Date.parse(ticket.sla.firstResponseAt) - Date.parse(ticket.createdAt)) / 60_000);
            const satisfaction = ticket.followUp.result?.satisfaction;
            if (typeof satisfaction === 'number') scores.push(satisfaction);
        }
        firstResponses.sort((a, b) => a - b);
        const mid = firstResponses.length / 2;
        const median =
            firstResponses.length === 0 ? null : firstResponses.length % 2 ? firstResponses[Math.floor(mid)]! : (firstResponses[mid - 1]! + firstResponses[mid]!) / 2;
        return {
            month,
            total: complaints.length,
            byCategory: count((t) => t.category),
            byStatus: count((t) => t.status),
            slaBreaches: breaches,
            firstResponseMinutes: { median: median === null ? null : Math.round(median * 10) / 10, answered: firstResponses.length },
            satisfaction: { average: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null, responses: scores.length },
            callbacks,
        };
    }
}
