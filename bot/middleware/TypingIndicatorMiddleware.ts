import { ActivityTypes, DeliveryModes, TurnContext, type Middleware } from 'botbuilder';
import { SkillValidation, type ClaimsIdentity } from 'botframework-connector';
import type { Logger } from '../logger';

/**
 * "Typing…" while a turn takes a while: first after `delayMs`, then every `periodMs`, until the turn ends. In place
 * of botbuilder's ShowTypingMiddleware, which sent from a timer that could fire as the turn ended and, when a slow
 * channel then refused the typing activity, touched the revoked turn context in its error path: an unhandled
 * rejection that ended the process. Here nothing is sent once the turn has ended, a refused typing activity only
 * stops the indicator (it is never the turn's error: the turn-error handler would clear the owner's dialog), and
 * expectReplies turns get none (their replies come back in one HTTP body, where typing is only noise).
 */
export class TypingIndicatorMiddleware implements Middleware {
    constructor(
        private readonly logger: Logger,
        private readonly delayMs = 500,
        private readonly periodMs = 2000,
    ) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const { activity } = context;
        if (activity.type !== ActivityTypes.Message || activity.deliveryMode === DeliveryModes.ExpectReplies || this.isSkillTurn(context)) return next();
        // Taken now: the context is revoked when the turn ends, and a send in flight may settle after that.
        const adapter = context.adapter;
        const reference = TurnContext.getConversationReference(activity);
        let ended = false;
        let timer: NodeJS.Timeout | undefined;
        const send = (): void => {
            if (ended) return;
            const typing = TurnContext.applyConversationReference({ type: ActivityTypes.Typing, relatesTo: activity.relatesTo }, reference);
            adapter.sendActivities(context, [typing]).then(
                () => {
                    if (!ended) timer = setTimeout(send, this.periodMs);
                },
                (error: unknown) => this.logger.debug({ err: error, conversationId: activity.conversation?.id }, 'typing indicator not taken; no more for this turn'),
            );
        };
        timer = setTimeout(send, this.delayMs);
        try {
            await next();
        } finally {
            ended = true;
            clearTimeout(timer);
        }
    }

    private isSkillTurn(context: TurnContext): boolean {
        const identity = context.turnState.get(context.adapter.BotIdentityKey) as ClaimsIdentity | undefined;
        return identity !== undefined && SkillValidation.isSkillClaim(identity.claims);
    }
}
