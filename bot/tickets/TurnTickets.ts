import type { TurnContext } from 'botbuilder';

/** What a turn did about a ticket: written (the ticket is real whatever fails after it), or failed (the owner was told). */
export type TurnTicketOutcome = { written: string } | { failed: true };

const KEY = Symbol('linli.turnTickets');

/**
 * The turn's ticket outcome, for the turn's error handler: when the state save fails after a ticket was written, the
 * owner hears that the ticket stands, not "try again later"; when the owner already heard the ticket could not be
 * written, nothing more contradicts it.
 */
export const TurnTickets = {
    written(context: TurnContext, ticketId: string): void {
        context.turnState.set(KEY, { written: ticketId } satisfies TurnTicketOutcome);
    },
    failed(context: TurnContext): void {
        context.turnState.set(KEY, { failed: true } satisfies TurnTicketOutcome);
    },
    get(context: TurnContext): TurnTicketOutcome | undefined {
        return context.turnState.get(KEY) as TurnTicketOutcome | undefined;
    },
};
