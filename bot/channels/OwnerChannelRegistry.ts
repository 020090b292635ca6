import { Channels } from 'botbuilder';
import type { ContinueConversation } from '../proactive/reachOwner';

/**
 * The Bot Framework's channels, reached through its connector at the conversation's serviceUrl. `webchat` is left
 * out: Linli serves that channel itself (Direct Line), and registers it there.
 */
export const BOT_FRAMEWORK_CHANNEL_IDS: readonly string[] = Object.values(Channels).filter((id) => id !== Channels.Webchat);

/**
 * The ways back to owners, keyed by the channelId of their conversation. Every proactive message (agents' words,
 * accept and release notices, handoff timeouts, follow-up visits, payment reminders) is sent through here, so each
 * reaches the owner on the channel the owner wrote on, whichever adapters are attached. A channelId nobody
 * registered goes to the default channel (the Bot Framework connector, which refuses a missing or disallowed
 * serviceUrl at once).
 */
export class OwnerChannelRegistry {
    private readonly channels = new Map<string, ContinueConversation>();
    private fallback: ContinueConversation | undefined;
    private readonly own = new Set<string>();

    /** Conversations on these channelIds are reached through `channel` (a later registration of an id replaces it). */
    register(channelIds: readonly string[], channel: ContinueConversation): void {
        for (const id of channelIds) this.channels.set(id, channel);
    }

    /** Channels Linli serves itself (web chat): reached without a serviceUrl, so none is checked. */
    registerOwn(channelIds: readonly string[], channel: ContinueConversation): void {
        this.register(channelIds, channel);
        for (const id of channelIds) this.own.add(id);
    }

    servesItself(channelId: string | undefined): boolean {
        return channelId !== undefined && this.own.has(channelId);
    }

    /** The channel for channelIds nobody registered. */
    registerDefault(channel: ContinueConversation): void {
        this.fallback = channel;
    }

    readonly continueConversation: ContinueConversation = (reference, logic) => {
        const channel = (reference.channelId ? this.channels.get(reference.channelId) : undefined) ?? this.fallback;
        if (!channel) throw new Error('no channel adapter attached: owners can not be reached');
        return channel(reference, logic);
    };
}
