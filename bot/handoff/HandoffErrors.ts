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

/** The owner's channel did not take the agent's message (502): the agent should know it did not arrive. */
export class OwnerUnreachableError extends Error {
    constructor(conversationId: string) {
        super(`the owner's channel for conversation ${conversationId} could not be reached; the message was not delivered`);
        this.name = 'OwnerUnreachableError';
    }
}
