/**
 * The owner's conversation has no address Linli may send to (no serviceUrl, or one outside SERVICE_URL_ALLOWLIST):
 * nothing was tried, and trying again will not help.
 */
export class UnreachableAddressError extends Error {
    constructor(channelId: string, conversationId: string, reason: string) {
        super(`${channelId}/${conversationId} can not be reached: ${reason}`);
        this.name = 'UnreachableAddressError';
    }
}
