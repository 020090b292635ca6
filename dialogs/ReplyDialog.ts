import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { OneTurnAnswer } from './OneTurnAnswer';
import type { Phrasebook, PhraseKey } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';

/** Answers with one line from the phrasebook, in the owner's persona, and ends. */
export class ReplyDialog extends Dialog implements OneTurnAnswer {
    constructor(
        dialogId: string,
        private readonly phrasebook: Phrasebook,
        private readonly phrase: PhraseKey,
    ) {
        super(dialogId);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        await this.answer(dc.context);
        return dc.endDialog();
    }

    async answer(context: TurnContext): Promise<void> {
        const persona = TurnUnderstanding.get(context)?.nlu.persona ?? 'default';
        await context.sendActivity(this.phrasebook.say(this.phrase, persona));
    }
}
