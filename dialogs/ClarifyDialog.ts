import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { ReadingEvidence } from '../bot/nlu/ReadingEvidence';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { OneTurnAnswer } from './OneTurnAnswer';

export const CLARIFY_DIALOG = 'clarify';

/**
 * One short question with a button per reading when understanding is unsure between two (the trace still carries the
 * most likely one). The owner's tap comes back as their next message and is read as any other, so Linli asks once.
 */
export class ClarifyDialog extends Dialog implements OneTurnAnswer {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly evidence: ReadingEvidence,
    ) {
        super(CLARIFY_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        await this.answer(dc.context);
        return dc.endDialog();
    }

    async answer(context: TurnContext): Promise<void> {
        const reading = TurnUnderstanding.get(context);
        const buttons = (reading?.nlu.clarify ?? []).flatMap((intent) => this.evidence.button(intent, reading?.text ?? '') ?? []);
        const [first, second] = buttons;
        if (!first || !second) throw new Error('ClarifyDialog: started without two readings to ask between');
        const message = MessageFactory.text(this.phrasebook.say('clarify', reading?.nlu.persona, { first: first.title, second: second.title }));
        // The tap sends the choice with the owner's own words, so the flow it starts has the whole message.
        message.suggestedActions = { actions: CardFactory.actions(buttons.map((b) => ({ type: 'imBack', title: b.title, value: b.value }))), to: [] };
        await context.sendActivity(message);
    }
}
