import { EventFactory, TurnContext } from 'botbuilder';
import type { HandoffService } from '../bot/handoff/HandoffService';
import type { Logger } from '../bot/logger';
import type { EscalationReason } from '../bot/nlu/NluResult';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import type { HandoffOwner } from '../bot/handoff/Handoff';
import { fitContact, type OwnerContact } from '../bot/tickets/OwnerContact';

/** What the queue shows of the owner: who and where, never the phone (it is in the transcript and the ticket). */
function ownerOf(profile: OwnerContact | undefined): HandoffOwner | null {
    if (!profile) return null;
    const { contact } = fitContact(profile);
    const owner: HandoffOwner = {};
    for (const field of ['name', 'building', 'unit', 'room'] as const) if (contact[field]) owner[field] = contact[field];
    return Object.keys(owner).length > 0 ? owner : null;
}

/**
 * Puts the conversation in the agents' queue and tells the owner how long the wait should be, then sends the
 * Bot Framework `handoff.initiate` event: the contract's reason and ticket, plus the rule that fired, its priority
 * and a short summary of what the owner said.
 */
export class HandoffStarter {
    constructor(
        private readonly handoffs: HandoffService,
        private readonly phrasebook: Phrasebook,
        private readonly logger: Logger,
    ) {}

    async start(context: TurnContext, reason: EscalationReason, ticketId: string | null = null): Promise<void> {
        const reading = TurnUnderstanding.get(context);
        const escalation = reading?.escalation;
        const persona = reading?.nlu.persona ?? 'default';
        const lastWords = reading?.text ?? context.activity.text ?? '';
        let initiation = { reason, ticketId, rule: escalation?.rule ?? null, priority: escalation?.priority ?? null, summary: lastWords };
        try {
            const queued = await this.handoffs.initiate({
                reference: TurnContext.getConversationReference(context.activity),
                reason,
                rule: initiation.rule,
                priority: initiation.priority,
                ticketId,
                persona,
                emotion: reading?.nlu.emotion ?? 'calm',
                lastWords,
                owner: ownerOf(reading?.owner),
            });
            const { handoff } = queued;
            initiation = { reason, ticketId: handoff.ticketId, rule: handoff.rule, priority: handoff.priority, summary: handoff.summary };
            // Danger or a person at risk (priority 1) is not told how many are queued: only that it comes first and when.
            const wait = handoff.priority === 1 ? 'handoff_wait_urgent' : queued.ahead > 0 ? 'handoff_wait' : 'handoff_wait_none';
            await context.sendActivity(this.phrasebook.say(wait, persona, { ahead: queued.ahead, minutes: queued.minutes }));
        } catch (error) {
            // The queue is unreachable: the event still goes out, so a channel with its own handoff can act on it.
            this.logger.error({ err: error, conversationId: context.activity.conversation.id }, 'handoff could not be queued');
        }
        await context.sendActivity(EventFactory.createHandoffInitiation(context, initiation));
    }
}
