import type { TurnContext } from 'botbuilder';

/**
 * A dialog that answers in the turn it starts and ends there (a greeting, an FAQ answer). When no flow is under way,
 * MainDialog calls `answer` directly instead of opening the dialog stack for it: the same words, without the
 * dialog machinery's cost (contexts, state managers, stack writes) on the most common turns.
 */
export interface OneTurnAnswer {
    answer(context: TurnContext): Promise<void>;
}

export function answersInOneTurn(dialog: object): dialog is OneTurnAnswer {
    return typeof (dialog as Partial<OneTurnAnswer>).answer === 'function';
}
