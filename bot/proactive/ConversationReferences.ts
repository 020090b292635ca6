import type { ConversationReference, Storage } from 'botbuilder';

/**
 * Where each owner's conversation can be reached again (channel, service URL, ids), kept in the bot's store so
 * follow-ups still find the owner after a restart or from another instance.
 */
export class ConversationReferences {
    constructor(private readonly storage: Storage) {}

    private key(channelId: string, conversationId: string): string {
        return `references/${channelId}/${conversationId}`;
    }

    async save(reference: Partial<ConversationReference>): Promise<void> {
        if (!reference.channelId || !reference.conversation?.id) return;
        await this.storage.write({ [this.key(reference.channelId, reference.conversation.id)]: { reference, eTag: '*' } });
    }

    async get(channelId: string, conversationId: string): Promise<Partial<ConversationReference> | null> {
        const key = this.key(channelId, conversationId);
        const items = await this.storage.read([key]);
        return (items[key]?.reference as Partial<ConversationReference> | undefined) ?? null;
    }
}
