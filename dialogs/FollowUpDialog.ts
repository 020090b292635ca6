import { TextPrompt } from 'botbuilder-dialogs/lib/prompts/textPrompt';
import type { Persona } from '../bot/nlu/NluResult';
import type { Phrasebook } from '../bot/Phrasebook';
import type { TicketService } from '../bot/tickets/TicketService';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from './dialogsCore';
import { readYesNo } from './yesNo';

export const FOLLOW_UP_DIALOG = 'follow_up';
const FIXED_PROMPT = 'follow_up.fixed';
const RATING_PROMPT = 'follow_up.rating';

export interface FollowUpOptions {
    ticketId: string;
    summary: string;
    persona: Persona;
}

const FIXED = /好了|修好|解决了|没问题了|可以了|正常了/;
const NOT_FIXED = /没好|没修好|没解决|还是|又坏|老样子|不行/;
const DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** "Is it fixed?" then "how satisfied, 1 to 5?" — the answers are recorded on the ticket. */
export function readFixed(text: string): boolean | null {
    if (NOT_FIXED.test(text)) return false;
    if (FIXED.test(text)) return true;
    return readYesNo(text);
}

export function readRating(text: string): number | null {
    const digit = /[1-5]/.exec(text)?.[0] ?? /[一二两三四五](?=分|星)/.exec(text)?.[0];
    if (digit) return DIGITS[digit] ?? Number(digit);
    if (/非常满意|很满意/.test(text)) return 5;
    if (/不满意|很差/.test(text)) return 2;
    if (/满意|还行|可以/.test(text)) return 4;
    return null;
}

/** The follow-up visit on the owner's own channel, started by the scheduler when it is due. */
export class FollowUpDialog extends ComponentDialog {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly tickets: TicketService,
    ) {
        super(FOLLOW_UP_DIALOG);
        this.addDialog(new TextPrompt(FIXED_PROMPT, async (p) => readFixed(p.recognized.value ?? '') !== null || p.attemptCount >= 2));
        this.addDialog(new TextPrompt(RATING_PROMPT, async (p) => readRating(p.recognized.value ?? '') !== null || p.attemptCount >= 2));
        this.addDialog(new WaterfallDialog(`${FOLLOW_UP_DIALOG}.steps`, [this.askStep.bind(this), this.fixedStep.bind(this), this.ratingStep.bind(this)]));
        this.initialDialogId = `${FOLLOW_UP_DIALOG}.steps`;
    }

    private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
        const o = step.options as FollowUpOptions;
        return step.prompt(FIXED_PROMPT, { prompt: this.phrasebook.say('follow_up_ask', o.persona, { summary: o.summary, ticketId: o.ticketId }) });
    }

    private async fixedStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
        const o = step.options as FollowUpOptions;
        const fixed = readFixed(String(step.result ?? ''));
        (step.values as { fixed: boolean }).fixed = fixed !== false;
        if (fixed === false) {
            await this.tickets.recordFollowUp(o.ticketId, { fixed: false, satisfaction: null, comment: String(step.result ?? '').slice(0, 500) });
            await step.context.sendActivity(this.phrasebook.say('follow_up_not_fixed', o.persona, { ticketId: o.ticketId }));
            return step.endDialog();
        }
        return step.prompt(RATING_PROMPT, { prompt: this.phrasebook.say('follow_up_rate', o.persona) });
    }

    private async ratingStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
        const o = step.options as FollowUpOptions;
        const answer = String(step.result ?? '');
        await this.tickets.recordFollowUp(o.ticketId, { fixed: true, satisfaction: readRating(answer), comment: answer.slice(0, 500) || null });
        await step.context.sendActivity(this.phrasebook.say('follow_up_thanks', o.persona));
        return step.endDialog();
    }
}
