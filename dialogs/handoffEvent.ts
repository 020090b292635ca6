import { EventFactory, type TurnContext } from 'botbuilder';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import type { EscalationReason } from '../bot/nlu/NluResult';

/**
 * The Bot Framework handoff convention: `handoff.initiate` with the reason and the linked ticket, if any — and, beyond
 * the contract's two fields, the escalation rule that fired and its priority.
 */
export async function sendHandoffInitiation(context: TurnContext, reason: EscalationReason, ticketId: string | null = null): Promise<void> {
    const escalation = TurnUnderstanding.get(context)?.escalation;
    await context.sendActivity(EventFactory.createHandoffInitiation(context, { reason, ticketId, rule: escalation?.rule ?? null, priority: escalation?.priority ?? null }));
}
