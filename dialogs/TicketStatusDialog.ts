import type { Phrasebook, PhraseKey } from '../bot/Phrasebook';
import { restate } from '../bot/restate';
import type { Ticket } from '../bot/tickets/Ticket';
import type { TicketService } from '../bot/tickets/TicketService';
import type { WorkingCalendar } from '../bot/tickets/WorkingCalendar';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';

/** Tells the owner how their own tickets stand: number, status in words, the next deadline. Never anyone else's. */
export class TicketStatusDialog extends Dialog {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly tickets: TicketService,
        private readonly calendar: WorkingCalendar,
        private readonly clock: () => Date,
    ) {
        super('ticket_status');
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const persona = TurnUnderstanding.get(dc.context)?.nlu.persona ?? 'default';
        const mine = await this.tickets.list({ ownerId: dc.context.activity.from.id }, 3);
        if (mine.length === 0) {
            await dc.context.sendActivity(this.phrasebook.say('ticket_status_none', persona));
            return dc.endDialog();
        }
        const lines = mine.map((ticket) =>
            this.phrasebook.say('ticket_status_line', persona, {
                ticketId: ticket.id,
                summary: restate(ticket.description, 16),
                status: this.phrasebook.say(`status_${ticket.status}` as PhraseKey, persona),
                next: this.nextDeadline(ticket),
            }),
        );
        await dc.context.sendActivity([this.phrasebook.say('ticket_status_header', persona), ...lines].join('\n'));
        return dc.endDialog();
    }

    private nextDeadline(ticket: Ticket): string {
        const now = this.clock();
        const next: [PhraseKey, string | null] | null =
            ticket.status === 'received'
                ? ['deadline_response', ticket.sla.responseDueAt]
                : ticket.status === 'in_progress'
                  ? ['deadline_feedback', ticket.sla.feedbackDueAt]
                  : ticket.status === 'replied'
                    ? ['deadline_follow_up', ticket.followUp.dueAt]
                    : null;
        if (!next || !next[1]) return '';
        return this.phrasebook.say('ticket_next_deadline', 'default', { what: this.phrasebook.say(next[0]), due: this.calendar.describe(new Date(next[1]), now, ticket.kind) });
    }
}
