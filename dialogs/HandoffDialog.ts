import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import { sendHandoffInitiation } from './handoffEvent';

export const HANDOFF_DIALOG = 'handoff';

/** Tells the owner a person is coming and sends the Bot Framework `handoff.initiate` event. */
export class HandoffDialog extends Dialog {
    constructor(private readonly phrasebook: Phrasebook) {
        super(HANDOFF_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const nlu = TurnUnderstanding.get(dc.context)?.nlu;
        await dc.context.sendActivity(this.phrasebook.say('handoff_coming', nlu?.persona));
        await sendHandoffInitiation(dc.context, nlu?.escalationReason ?? 'requested');
        return dc.endDialog();
    }
}
