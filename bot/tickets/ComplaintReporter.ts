import { EscalationReasons, type EscalationReason } from '../nlu/NluResult';
import type { KnowledgeGapReport, GapSummary } from '../outcomes/KnowledgeGapReport';
import type { OutcomeStore } from '../outcomes/OutcomeStore';
import { TicketCategories, TicketStatuses, type Ticket } from './Ticket';
import type { TicketService } from './TicketService';
import type { WorkingCalendar } from './WorkingCalendar';

type Category = (typeof TicketCategories.options)[number];
type Status = (typeof TicketStatuses.options)[number];

export interface ComplaintReport {
    month: string;
    total: number;
    byCategory: Record<Category, number>;
    byStatus: Record<Status, number>;
    slaBreaches: { response: number; feedback: number; reply: number; tickets: number };
    firstResponseMinutes: { median: number | null; answered: number };
    satisfaction: { average: number | null; responses: number };
    /** Handoffs nobody accepted in time (kind callback): not complaints, so outside every figure above. */
    callbacks: number;
    /** The complaints counted by category, then status. */
    byCategoryAndStatus: Record<Category, Record<Status, number>>;
    /** From filing to the answer staff gave (the first move to replied). */
    replyHours: { median: number | null; replied: number };
    /** From filing to closing, for the complaints closed. */
    closeHours: { median: number | null; closed: number };
    /** The complaints' follow-up ratings, 1 to 5. */
    satisfactionScores: Record<'1' | '2' | '3' | '4' | '5', number>;
    /** The call-back tickets (`callbacks` of them) by status, on their own line. */
    callbackTickets: { byStatus: Record<Status, number> };
    /** Every conversation begun in the month, from the outcome records. */
    conversations: {
        total: number;
        firstBotReplySeconds: { median: number | null; answered: number };
        handedOff: number;
        handoffReasons: Record<EscalationReason, number>;
        /** From the handoff to an agent's first words. */
        humanReplyMinutes: { median: number | null; answered: number };
        resolved: number;
        reopens: number;
        satisfaction: { average: number | null; responses: number };
    };
    /** Owners' messages Linli had no answer for ("not sure" or out of scope), masked and grouped. */
    knowledgeGaps: GapSummary;
}

export interface ComplaintReporterSources {
    outcomes: OutcomeStore;
    gaps: KnowledgeGapReport;
}

/** Monthly complaint statistics, the figures the company's monthly review asks for. */
export class ComplaintReporter {
    constructor(
        private readonly tickets: TicketService,
        private readonly calendar: WorkingCalendar,
        /** Without them (ticket-only tests) the conversation figures and gaps are empty. */
        private readonly sources?: ComplaintReporterSources,
    ) {}

    async month(month: string): Promise<ComplaintReport> {
        const { from, to } = this.calendar.monthRange(month);
        const [complaints, callbacks, outcomes, gaps] = await Promise.all([
            this.tickets.list({ kind: 'complaint', createdFrom: from, createdTo: to }, 100_000),
            this.tickets.list({ kind: 'callback', createdFrom: from, createdTo: to }, 100_000),
            this.sources?.outcomes.list(from, to) ?? [],
            this.sources?.outcomes.gaps(from, to) ?? [],
        ]);
        const breaches = { response: 0, feedback: 0, reply: 0, tickets: 0 };
        const firstResponses: number[] = [];
        const replies: number[] = [];
        const closes: number[] = [];
        const scores: number[] = [];
        const satisfactionScores = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
        const byCategoryAndStatus = Object.fromEntries(TicketCategories.options.map((c) => [c, zeros(TicketStatuses.options)])) as Record<Category, Record<Status, number>>;
        for (const ticket of complaints) {
            byCategoryAndStatus[ticket.category][ticket.status] += 1;
            const late = this.tickets.overdue(ticket);
            for (const kind of late) breaches[kind] += 1;
            if (late.length > 0) breaches.tickets += 1;
            if (ticket.sla.firstResponseAt) firstResponses.push(minutesBetween(ticket.createdAt, ticket.sla.firstResponseAt));
            const repliedAt = reachedAt(ticket, 'replied');
            if (repliedAt) replies.push(minutesBetween(ticket.createdAt, repliedAt) / 60);
            const closedAt = reachedAt(ticket, 'closed');
            if (closedAt) closes.push(minutesBetween(ticket.createdAt, closedAt) / 60);
            const satisfaction = ticket.followUp.result?.satisfaction;
            if (typeof satisfaction === 'number') {
                scores.push(satisfaction);
                satisfactionScores[String(satisfaction) as keyof typeof satisfactionScores] += 1;
            }
        }
        const handoffReasons = zeros(EscalationReasons.options);
        const botReplies: number[] = [];
        const humanReplies: number[] = [];
        const ratings: number[] = [];
        let handedOff = 0;
        let resolved = 0;
        let reopens = 0;
        for (const o of outcomes) {
            if (o.firstBotReplyAt) botReplies.push(minutesBetween(o.startedAt, o.firstBotReplyAt) * 60);
            if (o.handoff) {
                handedOff += 1;
                handoffReasons[o.handoff.reason] += 1;
                if (o.firstHumanReplyAt) humanReplies.push(minutesBetween(o.handoff.at, o.firstHumanReplyAt));
            }
            if (o.resolution) resolved += 1;
            reopens += o.reopens;
            if (o.satisfaction) ratings.push(o.satisfaction.score);
        }
        return {
            month,
            total: complaints.length,
            byCategory: Object.fromEntries(TicketCategories.options.map((c) => [c, sum(Object.values(byCategoryAndStatus[c]))])) as Record<Category, number>,
            byStatus: Object.fromEntries(TicketStatuses.options.map((s) => [s, sum(TicketCategories.options.map((c) => byCategoryAndStatus[c][s]))])) as Record<Status, number>,
            slaBreaches: breaches,
            firstResponseMinutes: { median: median(firstResponses), answered: firstResponses.length },
            satisfaction: { average: average(scores), responses: scores.length },
            callbacks: callbacks.length,
            byCategoryAndStatus,
            replyHours: { median: median(replies), replied: replies.length },
            closeHours: { median: median(closes), closed: closes.length },
            satisfactionScores,
            callbackTickets: { byStatus: countBy(callbacks, TicketStatuses.options, (t) => t.status) },
            conversations: {
                total: outcomes.length,
                firstBotReplySeconds: { median: median(botReplies), answered: botReplies.length },
                handedOff,
                handoffReasons,
                humanReplyMinutes: { median: median(humanReplies), answered: humanReplies.length },
                resolved,
                reopens,
                satisfaction: { average: average(ratings), responses: ratings.length },
            },
            knowledgeGaps: this.sources?.gaps.summarise(gaps) ?? { total: 0, byKind: { unsure: 0, out_of_scope: 0 }, groups: [] },
        };
    }
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
    return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function countBy<K extends string>(tickets: Ticket[], keys: readonly K[], key: (t: Ticket) => K): Record<K, number> {
    const counts = zeros(keys);
    for (const t of tickets) counts[key(t)] += 1;
    return counts;
}

function sum(values: number[]): number {
    return values.reduce((a, b) => a + b, 0);
}

function minutesBetween(from: string, to: string): number {
    return (Date.parse(to) - Date.parse(from)) / 60_000;
}

/** When the ticket first moved to `status` (its history), or null. */
function reachedAt(ticket: Ticket, status: Status): string | null {
    return ticket.history.find((h) => h.to === status && h.action === 'status')?.at ?? null;
}

/** The median to one decimal, or null without values. */
function median(values: number[]): number | null {
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    const value = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return Math.round(value * 10) / 10;
}

function average(values: number[]): number | null {
    return values.length ? Math.round((sum(values) / values.length) * 100) / 100 : null;
}
