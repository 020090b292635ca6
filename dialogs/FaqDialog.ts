import { CardFactory, MessageFactory } from 'botbuilder';
import type { KnowledgeService } from '../bot/knowledge/KnowledgeService';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';

/** Answers from the knowledge base, or says plainly that it is not sure and offers a person. */
export class FaqDialog extends Dialog {
    constructor(
        dialogId: string,
        private readonly phrasebook: Phrasebook,
        private readonly knowledge: KnowledgeService,
        private readonly intro?: 'arrears_misconception_intro',
        private readonly outro?: 'arrears_shared',
    ) {
        super(dialogId);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(dc.context);
        const persona = reading?.nlu.persona ?? 'default';
        if (!reading?.knowledge) {
            await dc.context.sendActivity(this.phrasebook.say('faq_unsure', persona));
            return dc.endDialog();
        }
        const answer = this.knowledge.render(reading.knowledge, persona);
        const parts = [this.intro ? this.phrasebook.say(this.intro, persona) : '', answer.text, this.outro ? this.phrasebook.say(this.outro, persona) : ''];
        const message = MessageFactory.text(parts.filter(Boolean).join('\n\n'));
        if (answer.actions.length > 0) message.suggestedActions = { actions: CardFactory.actions(answer.actions), to: [] };
        await dc.context.sendActivity(message);
        return dc.endDialog();
    }
}
