import type { TurnContext } from 'botbuilder';
import type { HandoffService } from '../bot/handoff/HandoffService';
import type { KnowledgeService } from '../bot/knowledge/KnowledgeService';
import { HandoffRoutingMiddleware } from '../bot/middleware/HandoffRoutingMiddleware';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding, type TurnReading } from '../bot/TurnUnderstanding';
import type { FaqDialog } from './FaqDialog';

/**
 * Replies that follow from where the conversation is rather than from the message alone (issue 11): while a handoff
 * waits in the queue, and for messages without words (？？？, 。。。, English). MainDialog asks first; when this
 * answers false it routes as usual. An open flow always reads its own answers, so nothing here runs inside one.
 */
export class ThreadReplies {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly faq: FaqDialog,
        private readonly knowledge: KnowledgeService,
        private readonly handoffs: HandoffService,
    ) {}

    /** True when this turn was answered here. */
    async handle(context: TurnContext): Promise<boolean> {
        const reading = TurnUnderstanding.get(context);
        if (!reading || reading.dialogState.openFlow !== null) return false;
        if (reading.dialogState.handoffStatus === 'queued') return this.whileQueued(context, reading);
        switch (reading.dialogState.shape) {
            case 'english':
                await context.sendActivity(this.phrasebook.say('english_only', reading.nlu.persona));
                return true;
            case 'puzzled':
                await context.sendActivity(this.rephrase(reading));
                return true;
            case 'punctuation':
                await context.sendActivity(this.phrasebook.say('punctuation_only', reading.nlu.persona));
                return true;
            default:
                return false;
        }
    }

    /**
     * A person is already on the way: the handoff is not started again. Danger still goes through the safety steps
     * (routed as usual); a question Linli can answer is answered with a line saying the person is still coming;
     * anything else is acknowledged in one line. The words reach the agent in any case (HandoffRoutingMiddleware).
     */
    private async whileQueued(context: TurnContext, reading: TurnReading): Promise<boolean> {
        const { nlu } = reading;
        if (nlu.escalationReason === 'emergency' || nlu.escalationReason === 'safety') return false;
        const handoff = HandoffRoutingMiddleware.handoffOf(context);
        if (!handoff) return false;
        const { ahead, minutes } = await this.handoffs.waitOf(handoff);
        // "前面还有0位" reads oddly: the owner who is next is told so.
        const wait = { queue: this.phrasebook.say(ahead > 0 ? 'handoff_queue_ahead' : 'handoff_queue_next', nlu.persona, { ahead, minutes }) };
        if (nlu.intent === 'human_agent' || nlu.escalate) {
            await context.sendActivity(this.phrasebook.say('handoff_still_queued', nlu.persona, wait));
        } else if (reading.knowledge && (nlu.intent === 'faq' || reading.knowledge.followUp)) {
            await this.faq.answer(context);
            await context.sendActivity(this.phrasebook.say('handoff_queued_after_answer', nlu.persona, wait));
        } else if (reading.dialogState.shape === 'english') {
            await context.sendActivity(this.phrasebook.say('english_only', nlu.persona));
        } else {
            await context.sendActivity(this.phrasebook.say('handoff_queued_noted', nlu.persona, wait));
        }
        return true;
    }

    /** "？？？" right after an answer: that answer again in plainer words; otherwise a question about what is unclear. */
    private rephrase(reading: TurnReading): string {
        const persona = reading.nlu.persona;
        const last = reading.dialogState.lastAnswer;
        const plain = last ? this.knowledge.plainly(last, persona) : null;
        return plain ? this.phrasebook.say('puzzled_rephrase', persona, { answer: plain }) : this.phrasebook.say('puzzled_ask', persona);
    }
}
