import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { KnowledgeService } from '../bot/knowledge/KnowledgeService';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { OneTurnAnswer } from './OneTurnAnswer';

/** Answers from the knowledge base, or says plainly that it is not sure and offers a person. */
export class FaqDialog extends Dialog implements OneTurnAnswer {
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
        await this.answer(dc.context);
        return dc.endDialog();
    }

    /** Sends the answer for this turn's question (also used when a question interrupts a flow). */
    async answer(context: TurnContext): Promise<void> {
        const reading = TurnUnderstanding.get(context);
        const persona = reading?.nlu.persona ?? 'default';
        if (!reading?.knowledge) {
            await context.sendActivity(this.phrasebook.say('faq_unsure', persona));
            return;
        }
        const memory = reading.memory;
        const answer = this.knowledge.render(reading.knowledge, persona, new Set(memory.quotedStatutes ?? []));
        // What was said, for the next turn: a follow-up question reads the entry; a statute is not quoted twice.
        memory.lastAnswer = reading.knowledge.entry.id;
        if (answer.quotedStatutes.length > 0) memory.quotedStatutes = [...(memory.quotedStatutes ?? []), ...answer.quotedStatutes];
        const parts = [this.intro ? this.phrasebook.say(this.intro, persona) : '', answer.text, this.outro ? this.phrasebook.say(this.outro, persona) : ''];
        const message = MessageFactory.text(parts.filter(Boolean).join('\n\n'));
        if (answer.actions.length > 0) message.suggestedActions = { actions: CardFactory.actions(answer.actions), to: [] };
        await context.sendActivity(message);
    }
}
