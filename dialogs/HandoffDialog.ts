import { EventFactory } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';

export const HANDOFF_DIALOG = 'handoff';

/** Tells the owner a person is coming and sends the Bot Framework `handoff.initiate` event. */
export class HandoffDialog extends Dialog {
    constructor(private readonly phrasebook: Phrasebook) {
        super(HANDOFF_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const understanding = TurnUnderstanding.get(dc.context);
        const persona = understanding?.persona ?? 'default';
        await dc.context.sendActivity(this.phrasebook.say('handoff_coming', persona));
        const reason = understanding?.escalationReason ?? 'requested';
        await dc.context.sendActivity(EventFactory.createHandoffInitiation(dc.context, { reason, ticketId: null }));
        return dc.endDialog();
    }
}
