import type { ConversationReference, TurnContext } from 'botbuilder';
import type { ServiceUrlPolicy } from '../http/ServiceUrlPolicy';
import type { ContinueConversation } from '../proactive/reachOwner';
import { UnreachableAddressError } from '../proactive/UnreachableAddressError';

/** The adapter's way back to an owner (CloudAdapter.continueConversationAsync). */
export interface ProactiveAdapter {
    continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

/**
 * Every proactive message (agents' words, accept and release notices, follow-up visits, payment reminders) goes
 * through here: a conversation whose serviceUrl is missing or not allowed fails at once, before any turn or send,
 * instead of the connector retrying an address for seconds.
 */
export class OwnerChannel {
    constructor(
        private readonly adapter: ProactiveAdapter,
        private readonly appId: string,
        private readonly serviceUrls: ServiceUrlPolicy,
    ) {}

    readonly continueConversation: ContinueConversation = async (reference, logic) => {
        const refused = this.serviceUrls.refusal(reference.serviceUrl);
        if (refused) throw new UnreachableAddressError(reference.channelId ?? '?', reference.conversation?.id ?? '?', refused);
        await this.adapter.continueConversationAsync(this.appId, reference, logic);
    };
}
