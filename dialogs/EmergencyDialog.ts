import type { SafetyAdvice } from '../bot/knowledge/SafetyAdvice';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { HandoffStarter } from './HandoffStarter';
import type { TicketService } from '../bot/tickets/TicketService';
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
    ) {
        super(EMERGENCY_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(dc.context);
        const persona = reading?.nlu.persona;
        await dc.context.sendActivity(this.safety.message(reading?.text ?? '', this.phrasebook.say('emergency_intro', persona)).text);
        // The advice is out first; a ticket that cannot be written (store down) must not hold it back or stop the handoff.
        const ticketId = await this.openTicket(dc, reading?.text ?? '').catch(() => null);
        await dc.context.sendActivity(`${this.phrasebook.say('emergency_followup', persona)}\n${this.phrasebook.say('handoff_coming', persona)}`);
        await this.starter.start(dc.context, 'emergency', ticketId);
        return dc.endDialog();
    }

    private async openTicket(dc: DialogContext, text: string): Promise<string> {
        const { activity } = dc.context;
        const reading = TurnUnderstanding.get(dc.context);
        const address = reading?.nlu.entities?.address;
        const phone = reading?.nlu.entities?.phones[0] ?? reading?.owner.phone;
        const ticket = await this.tickets.create({
            kind: 'emergency',
            category: 'emergency',
            channelId: activity.channelId,
            conversationId: activity.conversation.id,
            ownerId: activity.from.id,
            medium: 'chat',
            contact: { ...(phone ? { phone } : {}), ...(address?.building ? { building: address.building } : {}), ...(address?.unit ? { unit: address.unit } : {}), ...(address?.room ? { room: address.room } : {}) },
            location: null,
            description: text.slice(0, 2000) || '紧急情况',
            request: null,
            subject: null,
            department: '值班中心',
            urgent: true,
        });
        await this.references.save(TurnContext.getConversationReference(activity));
        return ticket.id;
    }
}
