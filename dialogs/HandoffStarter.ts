import { EventFactory, TurnContext } from 'botbuilder';
import type { HandoffService } from '../bot/handoff/HandoffService';
import type { Logger } from '../bot/logger';
import type { EscalationReason } from '../bot/nlu/NluResult';
import type { Phrasebook } from '../bot/Phrasebook';
import type { TicketService } from '../bot/tickets/TicketService';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';

/** Owner lines of the transcript the agent sees first, in the handoff's summary. */
const SUMMARY_LINES = 5;

/**
 * Puts the conversation in the agents' queue and tells the owner how long the wait should be, then sends the
 * Bot Framework `handoff.initiate` event: the contract's reason and ticket, plus the rule that fired, its priority
 * and a short summary of what the owner said.
 */
export class HandoffStarter {
    constructor(
        private readonly handoffs: HandoffService,
        private readonly tickets: TicketService,
        private readonly phrasebook: Phrasebook,
        private readonly logger: Logger,
    ) {}

    /** The ticket the agent should see: the one given, else this conversation's newest open ticket, if any. */
    private async linkedTicket(context: TurnContext, given: string | null): Promise<string | null> {
        if (given) return given;
        const { conversation, from } = context.activity;
        const owned = await this.tickets.list({ ownerId: from.id }, 20).catch(() => []);
        return owned.find((t) => t.conversationId === conversation.id && t.status !== 'closed')?.id ?? null;
    }

    async start(context: TurnContext, reason: EscalationReason, given: string | null = null): Promise<void> {
        const ticketId = await this.linkedTicket(context, given);
        const reading = TurnUnderstanding.get(context);
        const escalation = reading?.escalation;
        const persona = reading?.nlu.persona ?? 'default';
        const priority = escalation?.priority ?? (reason === 'emergency' || reason === 'safety' ? 1 : 3);
        const earlier = (await this.handoffs.transcript(context.activity.conversation.id).catch(() => []))
            .filter((e) => e.from === 'owner' && e.text)
            .map((e) => e.text ?? '');
        // This turn's message is not in the stored transcript yet (it is written when the turn ends).
        const summary = [...earlier, reading?.text ?? context.activity.text ?? ''].filter(Boolean).slice(-SUMMARY_LINES).join(' / ');
        try {
            const queued = await this.handoffs.initiate({
                reference: TurnContext.getConversationReference(context.activity),
                reason,
                rule: escalation?.rule ?? null,
                priority,
                ticketId,
                persona,
                emotion: reading?.nlu.emotion ?? 'calm',
                summary,
            });
            const wait = queued.ahead > 0 ? 'handoff_wait' : 'handoff_wait_none';
            await context.sendActivity(this.phrasebook.say(wait, persona, { ahead: queued.ahead, minutes: queued.minutes }));
        } catch (error) {
            // The queue is unreachable: the event still goes out, so a channel with its own handoff can act on it.
            this.logger.error({ err: error, conversationId: context.activity.conversation.id }, 'handoff could not be queued');
        }
        await context.sendActivity(EventFactory.createHandoffInitiation(context, { reason, ticketId, rule: escalation?.rule ?? null, priority, summary }));
    }
}
