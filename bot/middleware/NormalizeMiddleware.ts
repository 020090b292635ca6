import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Phrasebook } from '../Phrasebook';
import { normalizeText } from '../nlu/normalizeText';

// Re-exported for the code that has always imported them from here.
export { normalizeText, toHalfWidth } from '../nlu/normalizeText';

/** Under this key the raw text stays available for the turn after normalisation. */
export const ORIGINAL_TEXT = 'linli.originalText';

/**
 * Every message is read in one form: Traditional → Simplified, full-width → half-width, trimmed. A message over
 * the limit is not processed at all; the owner is asked to shorten it.
 */
export class NormalizeMiddleware implements Middleware {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly maxChars: number,
    ) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const activity = context.activity;
        if (activity.type !== ActivityTypes.Message || typeof activity.text !== 'string') return next();
        // Checked before conversion so hostile input costs nothing.
        if ([...activity.text].length > this.maxChars) {
            await context.sendActivity(this.phrasebook.say('too_long'));
            return;
        }
        context.turnState.set(ORIGINAL_TEXT, activity.text);
        activity.text = normalizeText(activity.text);
        return next();
    }
}
