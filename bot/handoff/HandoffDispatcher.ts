import type { Logger } from '../logger';
import type { PeriodicRound } from '../proactive/PeriodicRound';
import type { AgentPresence, PresenceStatus, StaffDirectory } from '../staff/StaffDirectory';
import type { Handoff } from './Handoff';
import type { HandoffService } from './HandoffService';

/** An online agent as the dispatcher counts them: how many they may hold and how many they hold now. */
interface Seat {
    name: string;
    capacity: number;
    load: number;
}

/**
 * Offers every queued handoff to one agent: in queue order (urgent tiers first, then the longest waiting), to an
 * online agent with room (active conversations plus standing offers below their capacity), the least loaded first.
 * An offer not accepted within HANDOFF_OFFER_SECONDS, or whose agent went away, moves to an agent it was not offered
 * to yet (back to the start of the round when all had it); with nobody online with room it is withdrawn, and anyone
 * may accept.
 *
 * Rounds run under the scheduler lock (one instance at a time), every HANDOFF_POLL_SECONDS and at once on `kick`
 * (a handoff queued, accepted, released or transferred; an agent online).
 */
export class HandoffDispatcher {
    private running = false;
    private again = false;
    private readonly known = new Map<string, PresenceStatus>();
    private rounds: PeriodicRound | undefined;

    constructor(
        private readonly handoffs: HandoffService,
        private readonly staff: StaffDirectory,
        private readonly logger: Logger,
        private readonly clock: () => Date,
        private readonly announce: (presence: AgentPresence) => Promise<void>,
    ) {}

    /** The round to schedule (under the lock); `kick` runs it too. */
    useRound(rounds: PeriodicRound): void {
        this.rounds = rounds;
    }

    /** A round soon, without waiting for the poll; rounds asked for while one runs become one more round after it. */
    kick(): void {
        if (this.running) {
            this.again = true;
            return;
        }
        this.running = true;
        void (async () => {
            try {
                do {
                    this.again = false;
                    await (this.rounds ? this.rounds.tick() : this.round());
                } while (this.again);
            } catch (error) {
                this.logger.warn({ err: error }, 'handoff offers not made; the next round tries again');
            } finally {
                this.running = false;
            }
        })();
    }

    /** One round of offers; returns how many handoffs were offered (or withdrawn). */
    async round(): Promise<number> {
        const now = this.clock();
        const [roster, active, queued] = await Promise.all([this.staff.roster(), this.handoffs.all('active'), this.handoffs.all('queued')]);
        await this.announceChanges(roster);
        const seats = new Map<string, Seat>(roster.filter((a) => a.status === 'online').map((a) => [a.account.name, { name: a.account.name, capacity: a.account.capacity, load: 0 }]));
        for (const h of active) if (h.agent) this.seat(seats, h.agent, 1);
        const standing = (h: Handoff) => h.offeredTo !== null && seats.has(h.offeredTo) && this.handoffs.offerStands(h, now);
        for (const h of queued) if (standing(h)) this.seat(seats, h.offeredTo!, 1);
        let changed = 0;
        for (const h of queued) {
            if (standing(h)) continue;
            const free = [...seats.values()].filter((s) => s.load < s.capacity);
            // Someone else than the agent who let it lapse, if there is anyone; first those who did not have it yet.
            const others = free.filter((s) => s.name !== h.offeredTo);
            const pool = others.length > 0 ? others : free;
            const fresh = pool.filter((s) => !h.offeredBefore.includes(s.name));
            const pick = (fresh.length > 0 ? fresh : pool).sort((a, b) => a.load - b.load || (a.name < b.name ? -1 : 1))[0];
            if (!pick && h.offeredTo === null) continue;
            // A wait whose every offer went round is offered afresh: forget who had it, so it cycles again.
            const base = pick && fresh.length === 0 ? { ...h, offeredBefore: [] } : h;
            const offered = await this.handoffs.offer(base, pick?.name ?? null);
            if (!offered) continue;
            changed += 1;
            if (pick) pick.load += 1;
        }
        return changed;
    }

    private seat(seats: Map<string, Seat>, name: string, by: number): void {
        const seat = seats.get(name);
        if (seat) seat.load += by;
    }

    /** Presence that changed without anyone saying so (no heartbeat: away; long gone: offline) is told to the consoles. */
    private async announceChanges(roster: AgentPresence[]): Promise<void> {
        for (const agent of roster) {
            const before = this.known.get(agent.account.name);
            this.known.set(agent.account.name, agent.status);
            if (before !== undefined && before !== agent.status) await this.announce(agent).catch(() => undefined);
        }
    }
}
