import type { ActivityPush, PushListener } from '../../bot/webchat/ConversationLog';

/** This instance's live listeners (open sockets), by conversation. */
export class PushHub {
    private readonly listeners = new Map<string, Set<PushListener>>();

    listen(conversationId: string, listener: PushListener): () => void {
        let set = this.listeners.get(conversationId);
        if (!set) this.listeners.set(conversationId, (set = new Set()));
        set.add(listener);
        return () => {
            set.delete(listener);
            if (set.size === 0 && this.listeners.get(conversationId) === set) this.listeners.delete(conversationId);
        };
    }

    /** Whether a socket of this instance listens to the conversation (else its pushes need not even be read). */
    has(conversationId: string): boolean {
        return this.listeners.has(conversationId);
    }

    deliver(conversationId: string, push: ActivityPush): void {
        for (const listener of this.listeners.get(conversationId) ?? []) listener(push);
    }
}
