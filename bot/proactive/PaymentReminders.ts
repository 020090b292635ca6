import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Persona } from '../nlu/NluResult';
import type { Phrasebook } from '../Phrasebook';
import type { ConversationReferences } from './ConversationReferences';

export interface PaymentReminderDeps {
    references: ConversationReferences;
    phrasebook: Phrasebook;
    continueConversation: (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;
    persona: (context: TurnContext) => Promise<Persona>;
    clock: () => Date;
    /** Today's date in the estate's time zone (YYYY-MM-DD). */
    localDay: (at: Date) => string;
}

/**
 * "距缴费截止还有3天，预缴半年享95折": a reminder on the owner's own channel, in the owner's register. Staff send it
 * (Linli holds no billing data); it goes to owners Linli can reach again, that is those with a conversation on record.
 */
export class PaymentReminders {
    constructor(private readonly deps: PaymentReminderDeps) {}

    /** Returns false when the owner's conversation is not on record. */
    async send(channelId: string, conversationId: string, dueDate: string): Promise<boolean> {
        const reference = await this.deps.references.get(channelId, conversationId);
        if (!reference) return false;
        // Calendar days in the estate's time zone: on the 27th a bill due on the 30th has 3 days left.
        const daysLeft = Math.max(0, Math.round((Date.parse(dueDate) - Date.parse(this.deps.localDay(this.deps.clock()))) / 86_400_000));
        await this.deps.continueConversation(reference, async (context) => {
            const persona = await this.deps.persona(context);
            await context.sendActivity(this.deps.phrasebook.say('payment_reminder', persona, { daysLeft, dueDate }));
        });
        return true;
    }
}
