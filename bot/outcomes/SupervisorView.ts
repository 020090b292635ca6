import type { HandoffService } from '../handoff/HandoffService';
import type { AgentPresence, PresenceStatus } from '../staff/StaffDirectory';
import type { EscalationReason } from '../nlu/NluResult';
import type { TicketService } from '../tickets/TicketService';
import type { WorkingCalendar } from '../tickets/WorkingCalendar';
import type { OutcomeStore } from './OutcomeStore';

/** Queue entries shown: a supervisor looks at the head of the queue; the counts cover the rest. */
const QUEUE_SHOWN = 50;
/** Active handoffs read to count each agent's load (far more than a desk holds at once). */
const ACTIVE_READ = 500;
/** Tickets read for today's breaches: those filed in the last days, since a written complaint's reply is due three working days on (a holiday can stretch that to ten calendar days). */
const BREACH_LOOKBACK_DAYS = 10;
const DAY_MS = 24 * 3600 * 1000;

export interface SupervisorSnapshot {
    at: string;
    /** The estate's clock (minutes east of UTC), so the page shows times as the estate reads them, wherever it is opened. */
    utcOffsetMinutes: number;
    queue: {
        total: number;
        countsByPriority: Record<'1' | '2' | '3' | '4' | '5', number>;
        oldestWaitMinutes: number | null;
        handoffs: { conversationId: string; channelId: string; priority: number; reason: EscalationReason; since: string; waitMinutes: number; ticketId: string | null }[];
    };
    active: { total: number; handoffs: { conversationId: string; agent: string | null; acceptedAt: string | null; priority: number; reason: EscalationReason; minutesWithAgent: number | null }[] };
    /**
     * Every agent account with its presence (online, away, offline), how many conversations it holds now against its
     * capacity, and how many it accepted today; online first. Someone holding a conversation without an agent account
     * (an account since removed) is listed too, with status null.
     */
    agents: { name: string; displayName: string; status: PresenceStatus | null; lastSeenAt: string | null; capacity: number | null; active: number; acceptedToday: number }[];
    breachesToday: {
        total: number;
        byKind: { response: number; feedback: number; reply: number };
        tickets: { id: string; kind: string; category: string; status: string; breach: 'response' | 'feedback' | 'reply'; dueAt: string }[];
    };
}

export interface SupervisorViewDeps {
    handoffs: HandoffService;
    tickets: TicketService;
    outcomes: OutcomeStore;
    calendar: WorkingCalendar;
    clock: () => Date;
    /** The agent accounts with their presence (the staff directory's roster). */
    roster: () => Promise<AgentPresence[]>;
}

const STATUS_ORDER: Record<PresenceStatus, number> = { online: 0, away: 1, offline: 2 };

/** What a supervisor watches during the day: the queue by priority and its waits, the agents' load, today's SLA breaches. */
export class SupervisorView {
    constructor(private readonly deps: SupervisorViewDeps) {}

    async snapshot(): Promise<SupervisorSnapshot> {
        const now = this.deps.clock();
        const today = this.startOfToday(now);
        const [queued, active, recent, started, roster] = await Promise.all([
            this.deps.handoffs.page('queued', QUEUE_SHOWN, null),
            this.deps.handoffs.page('active', ACTIVE_READ, null),
            this.deps.tickets.list({ createdFrom: new Date(today.getTime() - BREACH_LOOKBACK_DAYS * DAY_MS) }, 100_000),
            // Conversations of the last day: an agent's accept today belongs to a conversation begun since yesterday at most (or earlier, rarely).
            this.deps.outcomes.list(new Date(today.getTime() - DAY_MS), new Date(now.getTime() + 1)),
            this.deps.roster(),
        ]);
        const minutes = (from: string) => Math.max(0, Math.round((now.getTime() - Date.parse(from)) / 60_000));
        type Row = SupervisorSnapshot['agents'][number];
        const agents = new Map<string, Row>(
            roster.map((p) => [p.account.name, { name: p.account.name, displayName: p.account.displayName, status: p.status, lastSeenAt: p.lastSeenAt, capacity: p.account.capacity, active: 0, acceptedToday: 0 }]),
        );
        const agent = (name: string) =>
            agents.get(name) ?? agents.set(name, { name, displayName: name, status: null, lastSeenAt: null, capacity: null, active: 0, acceptedToday: 0 }).get(name)!;
        for (const h of active.handoffs) if (h.agent) agent(h.agent).active += 1;
        for (const o of started) if (o.agent && o.acceptedAt && Date.parse(o.acceptedAt) >= today.getTime()) agent(o.agent).acceptedToday += 1;
        const breaches: SupervisorSnapshot['breachesToday']['tickets'] = [];
        for (const ticket of recent) {
            for (const kind of this.deps.tickets.overdue(ticket, now)) {
                const dueAt = ticket.sla[`${kind}DueAt`];
                if (Date.parse(dueAt) >= today.getTime() && Date.parse(dueAt) <= now.getTime()) breaches.push({ id: ticket.id, kind: ticket.kind, category: ticket.category, status: ticket.status, breach: kind, dueAt });
            }
        }
        breaches.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
        const oldest = queued.handoffs.reduce<string | null>((min, h) => (min === null || h.since < min ? h.since : min), null);
        return {
            at: now.toISOString(),
            utcOffsetMinutes: this.deps.calendar.utcOffsetMinutes,
            queue: {
                total: queued.total,
                countsByPriority: queued.countsByPriority,
                oldestWaitMinutes: oldest === null ? null : minutes(oldest),
                handoffs: queued.handoffs.map((h) => ({ conversationId: h.conversationId, channelId: h.channelId, priority: h.priority, reason: h.reason, since: h.since, waitMinutes: minutes(h.since), ticketId: h.ticketId })),
            },
            active: {
                total: active.total,
                handoffs: active.handoffs.map((h) => ({ conversationId: h.conversationId, agent: h.agent, acceptedAt: h.acceptedAt, priority: h.priority, reason: h.reason, minutesWithAgent: h.acceptedAt ? minutes(h.acceptedAt) : null })),
            },
            agents: [...agents.values()].sort((a, b) => (a.status ? STATUS_ORDER[a.status] : 3) - (b.status ? STATUS_ORDER[b.status] : 3) || b.active - a.active || a.name.localeCompare(b.name)),
            breachesToday: {
                total: breaches.length,
                byKind: {
                    response: breaches.filter((b) => b.breach === 'response').length,
                    feedback: breaches.filter((b) => b.breach === 'feedback').length,
                    reply: breaches.filter((b) => b.breach === 'reply').length,
                },
                tickets: breaches,
            },
        };
    }

    /** Local midnight today (the calendar's time zone), from its month's start. */
    private startOfToday(now: Date): Date {
        const day = this.deps.calendar.localDay(now);
        const { from } = this.deps.calendar.monthRange(day.slice(0, 7));
        return new Date(from.getTime() + (Number(day.slice(8, 10)) - 1) * DAY_MS);
    }
}
