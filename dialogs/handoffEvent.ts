import { EventFactory, type TurnContext } from 'botbuilder';
import type { EscalationReason } from '../bot/nlu/NluResult';

/** The Bot Framework handoff convention: `handoff.initiate` with the reason and the linked ticket, if any. */
export async function sendHandoffInitiation(context: TurnContext, reason: EscalationReason, ticketId: string | null = null): Promise<void> {
    await context.sendActivity(EventFactory.createHandoffInitiation(context, { reason, ticketId }));
}
