import type { SafetyAdvice } from '../bot/knowledge/SafetyAdvice';
import type { Logger } from '../bot/logger';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { HandoffStarter } from './HandoffStarter';
import type { TicketService } from '../bot/tickets/TicketService';
import { conversationStepKey, dialogRunId } from '../bot/tickets/ConversationStep';
import { fitContact } from '../bot/tickets/OwnerContact';
import { TurnTickets } from '../bot/tickets/TurnTickets';
import type { ConversationReferences } from '../bot/proactive/ConversationReferences';
import { TurnContext } from 'botbuilder';

export const EMERGENCY_DIALOG = 'emergency';

/** Safety steps first, then the person on duty: the owner is never kept waiting for the advice. */
export class EmergencyDialog extends Dialog {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly safety: SafetyAdvice,
        private readonly tickets: TicketService,
        private readonly references: ConversationReferences,
        private readonly starter: HandoffStarter,
        private readonly logger: Logger,
    ) {
        super(EMERGENCY_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(dc.context);
        const persona = reading?.nlu.persona;
        const conversationId = dc.context.activity.conversation.id;
        await dc.context.sendActivity(this.safety.message(reading?.text ?? '', this.phrasebook.say('emergency_intro', persona)).text);
        // The advice is out first; a ticket that cannot be written (store down) must not hold it back or stop the handoff.
        const ticketId = await this.openTicket(dc, reading?.text ?? '').catch((error: unknown) => {
            this.logger.error({ err: error, conversationId, channelId: dc.context.activity.channelId }, 'emergency ticket could not be written; the handoff goes on without one');
            return null;
        });
        if (ticketId) {
            TurnTickets.written(dc.context, ticketId);
            await dc.context.sendActivity(`${this.phrasebook.say('emergency_followup', persona)}\n${this.phrasebook.say('handoff_coming', persona)}`);
        } else {
            // Nobody on duty was told (that is what the ticket does): the owner hears the hotline, not that they were.
            TurnTickets.failed(dc.context);
            await dc.context.sendActivity(this.phrasebook.say('emergency_no_ticket', persona));
        }
        await this.starter.start(dc.context, 'emergency', ticketId);
        return dc.endDialog();
    }

    private async openTicket(dc: DialogContext, text: string): Promise<string> {
        const { activity } = dc.context;
        const reading = TurnUnderstanding.get(dc.context);
        const address = reading?.nlu.entities?.address;
        const { contact, dropped } = fitContact({
            phone: reading?.nlu.entities?.phones[0] ?? reading?.owner.phone,
            building: address?.building,
            unit: address?.unit,
            room: address?.room,
        });
        if (dropped.length > 0) this.logger.warn({ fields: dropped, conversationId: activity.conversation.id }, 'contact fields left off the emergency ticket: they break the contact rule');
        const description = text.slice(0, 2000) || '紧急情况';
        const ticket = await this.tickets.create(
            {
                kind: 'emergency',
                category: 'emergency',
                channelId: activity.channelId,
                conversationId: activity.conversation.id,
                ownerId: activity.from.id,
                medium: 'chat',
                contact,
                location: null,
                description,
                request: null,
                subject: null,
                department: '值班中心',
                urgent: true,
            },
            // The owner sending the same alarm again after a failed state save gets the same ticket, not a second one.
            { idempotencyKey: conversationStepKey(activity.conversation.id, this.id, dialogRunId(reading?.turn ?? 0, text), 'ticket') },
        );
        // The ticket is written: a reference that could not be saved does not make it less so (the conversation's first
        // turn wrote it too).
        await this.references.save(TurnContext.getConversationReference(activity)).catch((error: unknown) => {
            this.logger.warn({ err: error, conversationId: activity.conversation.id }, 'conversation reference not saved with the emergency ticket');
        });
        return ticket.id;
    }
}
