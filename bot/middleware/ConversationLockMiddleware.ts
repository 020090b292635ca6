import type { Middleware, TurnContext } from 'botbuilder';
import type { TurnLock } from '../../adapters/locks/TurnLock';

/** Runs the turns of one conversation one at a time (across instances when the lock lives in Redis). */
export class ConversationLockMiddleware implements Middleware {
    constructor(
        private readonly lock: TurnLock,
        private readonly timeoutMs: number,
    ) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const { channelId, conversation } = context.activity;
        const release = await this.lock.acquire(`${channelId}/${conversation.id}`, this.timeoutMs);
        try {
            await next();
        } finally {
            // Sent, not awaited: the reply need not wait a round trip. Redis runs one connection's commands in order,
            // so this instance's next turn for the conversation finds the lock free; another instance retries briefly.
            // If the release fails (store down) the lease expires by itself.
            release().catch(() => undefined);
        }
    }
}
