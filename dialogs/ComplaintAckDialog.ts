import type { Phrasebook } from '../bot/Phrasebook';
import { restate } from '../bot/restate';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';

/** The complaint script's first moves: empathise in the owner's register and restate to confirm. */
export class ComplaintAckDialog extends Dialog {
    constructor(
        dialogId: string,
        private readonly phrasebook: Phrasebook,
    ) {
        super(dialogId);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(dc.context);
        await dc.context.sendActivity(this.phrasebook.say('complaint_ack', reading?.nlu.persona, { summary: restate(reading?.text ?? '') }));
        return dc.endDialog();
    }
}
