/** The owner's channel did not take a proactive message (a reminder); the caller decides whether to try again. */
export class OwnerChannelError extends Error {
    constructor(channelId: string, conversationId: string, cause: unknown) {
        super(`could not reach ${channelId}/${conversationId}`, { cause });
        this.name = 'OwnerChannelError';
    }
}
