import type { NamedHazard, SafetyAdvice } from '../bot/knowledge/SafetyAdvice';
import type { Logger } from '../bot/logger';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { HandoffStarter } from './HandoffStarter';
import type { TicketService } from '../bot/tickets/TicketService';
import type { TicketComposer } from '../bot/tickets/TicketComposer';
import { conversationStepKey, dialogRunId } from '../bot/tickets/ConversationStep';
import { fitContact } from '../bot/tickets/OwnerContact';
import { TurnTickets } from '../bot/tickets/TurnTickets';
import type { ConversationReferences } from '../bot/proactive/ConversationReferences';
import { TurnContext } from 'botbuilder';
import { findPhones } from '../bot/nlu/EntityExtractor';

export const EMERGENCY_DIALOG = 'emergency';

/** What an open emergency remembers between turns (its dialog state: the one place it lives). */
interface EmergencyState {
    ticketId: string | null;
    hazards: NamedHazard[];
    openedAt: number;
}

/** Intents that are a matter of their own even while an emergency is open: they end its thread. */
const OWN_MATTER = new Set(['faq', 'repair', 'complaint', 'fee_arrears', 'ticket_status', 'thanks_bye', 'human_agent']);

/**
 * Safety steps first, then the person on duty: the owner is never kept waiting for the advice. The emergency then
 * stays open: what the owner says next (the place asked for, details, questions about the hazard, the same alarm
 * again) goes onto its one ticket and is answered from knowledge/safety.json — no second ticket, no second handoff.
 */
export class EmergencyDialog extends Dialog {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly safety: SafetyAdvice,
        private readonly tickets: TicketService,
        private readonly composer: TicketComposer,
        private readonly references: ConversationReferences,
        private readonly starter: HandoffStarter,
        private readonly logger: Logger,
        private readonly clock: () => Date = () => new Date(),
    ) {
        super(EMERGENCY_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(dc.context);
        const persona = reading?.nlu.persona;
        const conversationId = dc.context.activity.conversation.id;
        const advice = this.safety.message(reading?.text ?? '', this.phrasebook.say('emergency_intro', persona));
        await dc.context.sendActivity(advice.text);
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
        const state: EmergencyState = { ticketId, hazards: advice.named, openedAt: this.clock().getTime() };
        Object.assign(dc.activeDialog?.state ?? {}, state);
        return Dialog.EndOfTurn;
    }

    /**
     * Whether this turn's message belongs to the open emergency (MainDialog asks before routing it): the same or another
     * hazard, the place or a phone, a question about the hazard, or anything not a matter of its own — within the
     * window knowledge/safety.json gives.
     */
    holds(dc: DialogContext): boolean {
        const state = dc.activeDialog?.state;
        const reading = TurnUnderstanding.get(dc.context);
        if (!reading || !this.isOpen(state)) return false;
        const { nlu } = reading;
        if (nlu.intent === 'emergency' || nlu.escalationReason === 'emergency') return true;
        if (nlu.entities?.address || findPhones(reading.text).length > 0) return true;
        if (this.safety.answer((state as EmergencyState).hazards, reading.text)) return true;
        if (nlu.escalate) return false;
        return !OWN_MATTER.has(nlu.intent) || (nlu.intent === 'faq' && !reading.knowledge);
    }

    /** Whether an emergency's instance state is still within the window knowledge/safety.json gives its thread. */
    isOpen(state: unknown): boolean {
        const openedAt = (state as Partial<EmergencyState> | undefined)?.openedAt;
        return typeof openedAt === 'number' && this.clock().getTime() - openedAt <= this.safety.openMinutes * 60_000;
    }

    override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const state = dc.activeDialog?.state as EmergencyState;
        const reading = TurnUnderstanding.get(dc.context);
        if (!reading) return Dialog.EndOfTurn;
        const persona = reading.nlu.persona;
        const ticketId = state.ticketId ?? '';
        const answer = this.safety.answer(state.hazards, reading.text);
        const address = reading.nlu.entities?.address ?? null;
        const phone = findPhones(reading.text)[0];
        // A question about the open hazard is answered as such: "手机快没电了" while trapped is not a new outage.
        const fresh = answer ? [] : this.safety.named(reading.text).filter((h) => !state.hazards.some((open) => open.id === h.id));
        const replies: string[] = [];
        if (answer) replies.push(answer);
        else if (fresh.length > 0) {
            // Another hazard in the same emergency: its steps, on the same ticket and the same handoff.
            replies.push(this.safety.message(reading.text, this.phrasebook.say('emergency_intro', persona)).text);
            state.hazards = [...state.hazards, ...fresh];
        }
        const location = address ? this.composer.describePlace(address) : undefined;
        // What the owner adds is said to be on the ticket only once the ticket took it.
        let recorded = false;
        if (state.ticketId) {
            const { contact } = fitContact({ phone, building: address?.building, unit: address?.unit, room: address?.room });
            recorded = await this.tickets
                .amend(state.ticketId, { contact, ...(location ? { location } : {}), ...(location || phone ? {} : { note: reading.text }) }, 'owner')
                .then((ticket) => ticket !== null)
                .catch((error: unknown) => {
                    this.logger.error({ err: error, conversationId: dc.context.activity.conversation.id, ticketId }, 'the emergency ticket could not be updated');
                    return false;
                });
        }
        if (!recorded && (location || !answer)) replies.push(this.phrasebook.say('emergency_no_ticket', persona));
        else if (location) replies.push(this.phrasebook.say('emergency_location_noted', persona, { location, ticketId }));
        else if (!answer) replies.push(this.phrasebook.say('emergency_still_coming', persona, { ticketId }));
        await dc.context.sendActivity(replies.join('\n'));
        return Dialog.EndOfTurn;
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
        const ticket = await this.tickets.create(
            this.composer.forEmergency(
                { channelId: activity.channelId, conversationId: activity.conversation.id, ownerId: activity.from.id },
                { text, contact, location: address ? this.composer.describePlace(address) : null },
            ),
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
