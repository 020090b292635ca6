import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import type { Phrasebook } from '../Phrasebook';
import { normalizeText } from '../nlu/normalizeText';

// Re-exported for the code that has always imported them from here.
export { normalizeText, toHalfWidth } from '../nlu/normalizeText';

/** Under this key the raw text stays available for the turn after normalisation. */
export const ORIGINAL_TEXT = 'linli.originalText';

/** Set on a turn whose message was refused as too long: its length in characters, all that is kept of it. */
export const REFUSED_CHARS = 'linli.refusedChars';

/**
 * Every message is read in one form: Traditional → Simplified, full-width → half-width, trimmed. A message over
 * the limit is not processed at all; the owner is asked to shorten it, and nothing of what it said is logged or
 * stored — only its length (the transcript middleware, further out, records a marker instead of the words).
 */
export class NormalizeMiddleware implements Middleware {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly maxChars: number,
        private readonly logger: Logger,
    ) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const activity = context.activity;
        if (activity.type !== ActivityTypes.Message || typeof activity.text !== 'string') return next();
        // Checked before conversion so hostile input costs nothing.
        const chars = [...activity.text].length;
        if (chars > this.maxChars) {
            context.turnState.set(REFUSED_CHARS, chars);
            this.logger.info({ channelId: activity.channelId, conversationId: activity.conversation?.id, chars, maxChars: this.maxChars }, 'message refused: too long');
            await context.sendActivity(this.phrasebook.say('too_long'));
            return;
        }
        context.turnState.set(ORIGINAL_TEXT, activity.text);
        activity.text = normalizeText(activity.text);
        return next();
    }
}
