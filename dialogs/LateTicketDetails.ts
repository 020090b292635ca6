import type { TurnContext } from 'botbuilder';
import { fillLine } from '../bot/Lines';
import type { Logger } from '../bot/logger';
import { findPhones, parseAddress } from '../bot/nlu/EntityExtractor';
import type { Phrasebook } from '../bot/Phrasebook';
import type { Ticket } from '../bot/tickets/Ticket';
import type { TicketAmendment, TicketService } from '../bot/tickets/TicketService';
import type { TicketComposer } from '../bot/tickets/TicketComposer';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';

/** Intents whose message is a matter of its own: a place in it is that matter's place, not a late detail. */
const OWN_MATTER = new Set(['repair', 'complaint', 'emergency', 'fee_arrears', 'human_agent']);

/**
 * A phone or a place the owner sends after their ticket was opened ("对了，我手机号是…", "不对，是5号楼"): it goes onto
 * that ticket (its history says the owner added it, and when) and the owner is told — not read as a new matter.
 */
export class LateTicketDetails {
    constructor(
        private readonly tickets: TicketService,
        private readonly composer: TicketComposer,
        private readonly phrasebook: Phrasebook,
        private readonly clock: () => Date,
        private readonly logger: Logger,
    ) {}

    /** Whether this message was a late detail for the conversation's ticket (and has been answered). */
    async take(context: TurnContext): Promise<boolean> {
        const reading = TurnUnderstanding.get(context);
        if (!reading || reading.nlu.escalate) return false;
        const phone = findPhones(reading.text)[0];
        const correcting = this.composer.corrects(reading.text);
        const address = correcting || !OWN_MATTER.has(reading.nlu.intent) ? parseAddress(this.composer.withoutWrongValue(reading.text)) : null;
        if (!phone && !address) return false;
        const ticket = await this.recentTicket(context);
        if (!ticket) return false;
        const change: TicketAmendment = {};
        const what: string[] = [];
        const { amend } = this.composer;
        if (phone && phone !== ticket.contact.phone) {
            change.contact = { phone };
            what.push(fillLine(amend.what.phone, { phone }));
        }
        if (address && (correcting || !ticket.location)) {
            const location = this.composer.describePlace(address);
            change.contact = { ...change.contact, building: address.building, unit: address.unit, room: address.room };
            change.location = location;
            what.push(fillLine(amend.what.location, { location }));
        }
        if (what.length === 0) return false;
        const amended = await this.tickets.amend(ticket.id, change, 'owner').catch((error: unknown) => {
            this.logger.error({ err: error, conversationId: ticket.conversationId, ticketId: ticket.id }, 'a late detail could not be added to the ticket');
            return null;
        });
        if (!amended) return false;
        // Remembered for the owner's next matter too, as a flow remembers what it was told.
        if (change.contact?.phone) reading.owner.phone = change.contact.phone;
        await context.sendActivity(this.phrasebook.say('ticket_amended', reading.nlu.persona, { what: what.join('、'), ticketId: ticket.id }));
        return true;
    }

    /** The conversation's newest open ticket, if opened within the window (knowledge/tickets.json, lateUpdateMinutes). */
    private async recentTicket(context: TurnContext): Promise<Ticket | null> {
        const { activity } = context;
        const since = new Date(this.clock().getTime() - this.composer.amend.lateUpdateMinutes * 60_000);
        const mine = await this.tickets.list({ ownerId: activity.from.id, createdFrom: since }, 20);
        return (
            mine.find((t) => t.channelId === activity.channelId && t.conversationId === activity.conversation.id && t.status !== 'closed' && t.kind !== 'callback') ?? null
        );
    }
}
