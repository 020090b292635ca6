/** An activity for a web conversation whose record is gone (it expired): nothing was stored, the owner can not be reached. */
export class ConversationEndedError extends Error {
    constructor(readonly conversationId: string) {
        super(`web conversation ${conversationId} has ended`);
        this.name = 'ConversationEndedError';
    }
}
