import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Persona } from '../nlu/NluResult';
import type { Phrasebook } from '../Phrasebook';
import type { ConversationReferences } from './ConversationReferences';
import type { ReminderStore, ScheduledReminder } from './ReminderStore';
import { OwnerChannelError } from './OwnerChannelError';
import { reachOwner } from './reachOwner';
import { UnreachableAddressError } from './UnreachableAddressError';

export interface PaymentReminderDeps {
    references: ConversationReferences;
    phrasebook: Phrasebook;
    continueConversation: (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;
    persona: (context: TurnContext) => Promise<Persona>;
    clock: () => Date;
    /** Today's date in the estate's time zone (YYYY-MM-DD). */
    localDay: (at: Date) => string;
    /** Reminders staff scheduled for later. */
    store: ReminderStore;
    newId: () => string;
    /** Why the owner's address may not be sent to (SERVICE_URL_ALLOWLIST), or null. */
    addressRefusal: (reference: Partial<ConversationReference>) => string | null;
}

export interface ReminderRequest {
    channelId: string;
    conversationId: string;
    dueDate: string;
}

/**
 * "距缴费截止还有3天，预缴半年享95折": a reminder on the owner's own channel, in the owner's register. Staff send it
 * (Linli holds no billing data); it goes to owners Linli can reach again, that is those with a conversation on record.
 */
export class PaymentReminders {
    constructor(private readonly deps: PaymentReminderDeps) {}

    /**
     * Keeps a reminder for `remindAt` (sent by the next scheduler round after it). Returns null when the owner's
     * conversation is not on record, and throws OwnerChannelError when its address may not be sent to, so staff
     * hear it now rather than never.
     */
    async schedule(request: ReminderRequest, remindAt: Date, createdBy: string): Promise<ScheduledReminder | null> {
        const reference = await this.deps.references.get(request.channelId, request.conversationId);
        if (!reference) return null;
        const refused = this.deps.addressRefusal(reference);
        if (refused) throw new OwnerChannelError(request.channelId, request.conversationId, new UnreachableAddressError(request.channelId, request.conversationId, refused));
        const reminder: ScheduledReminder = { id: this.deps.newId(), ...request, remindAt: remindAt.toISOString(), createdBy, createdAt: this.deps.clock().toISOString() };
        await this.deps.store.schedule(reminder);
        return reminder;
    }

    /** Sends every reminder whose time has come (one scheduler round); returns how many went out. */
    async sendDue(): Promise<number> {
        let sent = 0;
        for (const reminder of await this.deps.store.due(this.deps.clock())) {
            try {
                if (await this.send(reminder.channelId, reminder.conversationId, reminder.dueDate)) sent += 1;
            } catch (error) {
                // The owner's channel is down now: the reminder stays for the next round. An address that may not be
                // sent to will never do: the reminder is dropped.
                if (!(error instanceof OwnerChannelError)) throw error;
                if (!(error.cause instanceof UnreachableAddressError)) continue;
            }
            // Sent, or the owner's conversation is no longer on record: either way it is done (at least once).
            await this.deps.store.remove(reminder.id);
        }
        return sent;
    }

    async send(channelId: string, conversationId: string, dueDate: string): Promise<boolean> {
        const reference = await this.deps.references.get(channelId, conversationId);
        if (!reference) return false;
        // Calendar days in the estate's time zone: on the 27th a bill due on the 30th has 3 days left.
        const daysLeft = Math.max(0, Math.round((Date.parse(dueDate) - Date.parse(this.deps.localDay(this.deps.clock()))) / 86_400_000));
        const outcome = await reachOwner(this.deps.continueConversation, reference, async (context) => {
            const persona = await this.deps.persona(context);
            await context.sendActivity(this.deps.phrasebook.say('payment_reminder', persona, { daysLeft, dueDate }));
        });
        if (!outcome.ok) throw new OwnerChannelError(channelId, conversationId, outcome.error);
        return true;
    }
}
