/**
 * The owner's channel allows no message now (WeChat: the customer-service window closed, its allowance spent, or the
 * owner unfollowed): nothing was sent, nothing counts as sent, and trying again before the owner writes will not help.
 */
export class OutsideWindowError extends Error {
    constructor(conversationId: string, reason: string) {
        super(`${conversationId} can not be messaged now: ${reason}`);
        this.name = 'OutsideWindowError';
    }
}
