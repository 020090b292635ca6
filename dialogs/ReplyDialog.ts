import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { Phrasebook, PhraseKey } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';

/** Answers with one line from the phrasebook, in the owner's persona, and ends. */
export class ReplyDialog extends Dialog {
    constructor(
        dialogId: string,
        private readonly phrasebook: Phrasebook,
        private readonly phrase: PhraseKey,
    ) {
        super(dialogId);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const persona = TurnUnderstanding.get(dc.context)?.nlu.persona ?? 'default';
        await dc.context.sendActivity(this.phrasebook.say(this.phrase, persona));
        return dc.endDialog();
    }
}
