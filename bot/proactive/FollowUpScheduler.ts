import type { ConversationReference, TurnContext } from 'botbuilder';
import type { TurnLock } from '../../adapters/locks/TurnLock';
import type { Logger } from '../logger';
import { restate } from '../restate';
import type { TicketService } from '../tickets/TicketService';
import type { ConversationReferences } from './ConversationReferences';
import { PeriodicRound } from './PeriodicRound';

export interface FollowUpSchedulerDeps {
    tickets: TicketService;
    references: ConversationReferences;
    /** Shared with the turn lock: in Redis when REDIS_URL is set, so one instance runs a round at a time. */
    lock: TurnLock;
    /** Runs logic in the owner's conversation through the adapter (continueConversation on the owner's channel). */
    continueConversation: (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;
    /** Opens the follow-up visit in that conversation; false while the owner is busy with a flow. */
    startFollowUp: (context: TurnContext, options: { ticketId: string; summary: string }) => Promise<boolean>;
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
            await this.deps.continueConversation(reference, async (context) => {
                started = await this.deps.startFollowUp(context, { ticketId: ticket.id, summary: restate(ticket.description, 20) });
            });
            if (started) {
                await this.deps.tickets.markFollowUpAsked(ticket.id);
                sent += 1;
            }
        }
        return sent;
    }
}
