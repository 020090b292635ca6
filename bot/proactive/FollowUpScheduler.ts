import type { TurnContext } from 'botbuilder';
import type { TurnLock } from '../locks/TurnLock';
import type { Logger } from '../logger';
import { restate } from '../restate';
import type { TicketService } from '../tickets/TicketService';
import type { ConversationReferences } from './ConversationReferences';
import { PeriodicRound } from './PeriodicRound';
import type { ProactiveStateWork } from './ProactiveStateWork';
import { reachOwner, type ContinueConversation } from './reachOwner';
import { OutsideWindowError } from '../channels/OutsideWindowError';
import { UnreachableAddressError } from './UnreachableAddressError';

export interface FollowUpSchedulerDeps {
    tickets: TicketService;
    references: ConversationReferences;
    /** Shared with the turn lock: in Redis when REDIS_URL is set, so one instance runs a round at a time. */
    lock: TurnLock;
    /** Runs logic in the owner's conversation through the adapter (continueConversation on the owner's channel). */
    continueConversation: ContinueConversation;
    /** The conversation's state work, under its turn lock, with the question sent after the lock is released. */
    stateWork: ProactiveStateWork;
    /** Opens the follow-up visit in that conversation; false while the owner is busy with a flow. */
    startFollowUp: (context: TurnContext, options: { ticketId: string; summary: string }) => Promise<boolean>;
    /** Takes the visit back when its question did not reach the owner, so the next round asks again. */
    abandonFollowUp: (context: TurnContext, ticketId: string) => Promise<void>;
    logger: Logger;
}

/**
 * Follow-up visits when they fall due. Due times live in the ticket store (they survive a restart); each round runs
 * under a lock, and a ticket is claimed (marked asked, with a version check) before its message goes out, so a
 * follow-up is sent once even with several instances.
 */
export class FollowUpScheduler {
    private readonly round: PeriodicRound;

    constructor(private readonly deps: FollowUpSchedulerDeps) {
        this.round = new PeriodicRound('follow-ups', deps.lock, deps.logger, () => this.sendDue());
    }

    start(intervalMs: number): void {
        this.round.start(intervalMs);
    }

    stop(): void {
        this.round.stop();
    }

    /** One round: every due follow-up whose owner can be reached and is not mid-flow. Returns how many went out. */
    tick(): Promise<number> {
        return this.round.tick();
    }

    private async sendDue(): Promise<number> {
        let sent = 0;
        for (const ticket of await this.deps.tickets.dueFollowUps()) {
            // The visit checks a fix: it waits until staff have replied (done the work), however late that is.
            if (ticket.status !== 'replied') continue;
            const reference = await this.deps.references.get(ticket.channelId, ticket.conversationId);
            if (!reference) {
                this.deps.logger.warn({ ticketId: ticket.id }, 'follow-up due but the owner cannot be reached; staff must call');
                await this.deps.tickets.markFollowUpAsked(ticket.id);
                continue;
            }
            let started = false;
            const outcome = await reachOwner(this.deps.continueConversation, reference, async (context) => {
                const { stateWork } = this.deps;
                const opened = await stateWork.run(context, (kept) => this.deps.startFollowUp(kept, { ticketId: ticket.id, summary: restate(ticket.description, 20) }));
                if (!opened.result) return;
                try {
                    await context.sendActivities(opened.replies);
                } catch (error) {
                    await stateWork.run(context, (kept) => this.deps.abandonFollowUp(kept, ticket.id));
                    throw error;
                }
                started = true;
            });
            if (!outcome.ok && outcome.error instanceof OutsideWindowError) {
                // The channel allows no message until the owner writes (WeChat's window): staff must call, and the ticket says why.
                this.deps.logger.warn({ ticketId: ticket.id, reason: outcome.error.message }, 'follow-up due but blocked by the channel window; staff must call');
                await this.deps.tickets.update(ticket.id, { note: `follow-up blocked by the channel's messaging window: ${outcome.error.message}` }, 'linli');
                await this.deps.tickets.markFollowUpAsked(ticket.id);
                continue;
            }
            if (!outcome.ok && outcome.error instanceof UnreachableAddressError) {
                this.deps.logger.warn({ ticketId: ticket.id, reason: outcome.error.message }, 'follow-up due but the owner cannot be reached; staff must call');
                await this.deps.tickets.markFollowUpAsked(ticket.id);
                continue;
            }
            // Not reached now (channel down, or the owner mid-turn for too long): the next round asks again.
            if (!outcome.ok) this.deps.logger.warn({ err: outcome.error, ticketId: ticket.id }, 'follow-up not delivered; will try again');
            if (started) {
                await this.deps.tickets.markFollowUpAsked(ticket.id);
                sent += 1;
            }
        }
        return sent;
    }
}
