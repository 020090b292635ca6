/** No handoff on record for the conversation (404). */
export class HandoffNotFoundError extends Error {
    constructor(conversationId: string) {
        super(`no handoff for conversation ${conversationId}`);
        this.name = 'HandoffNotFoundError';
    }
}

/** The handoff is not in a state that allows the action, or belongs to another agent (409). */
export class HandoffStateError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'HandoffStateError';
    }
}
