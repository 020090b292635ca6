import { DeliveryModes, ShowTypingMiddleware, type Middleware, type TurnContext } from 'botbuilder';

/**
 * botbuilder's typing indicator, except for expectReplies turns: those replies come back in one HTTP body,
 * where a typing activity is only noise.
 */
export class TypingIndicatorMiddleware implements Middleware {
    private readonly typing: ShowTypingMiddleware;

    constructor(delayMs = 500, periodMs = 2000) {
        this.typing = new ShowTypingMiddleware(delayMs, periodMs);
    }

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        if (context.activity.deliveryMode === DeliveryModes.ExpectReplies) return next();
        return this.typing.onTurn(context, next);
    }
}
