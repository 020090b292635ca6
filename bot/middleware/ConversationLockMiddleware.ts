import { ActivityEventNames, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { TurnLock } from '../locks/TurnLock';

/** Something a turn reads from the store (a BotState, the conversation's handoff): `force` reads it again. */
export interface TurnPreload {
    load(context: TurnContext, force?: boolean): Promise<unknown>;
}

/**
 * Runs the turns of one conversation one at a time (across instances when the lock lives in Redis), and loads the
 * turn's state while it asks for the lock: the read is sent right behind the lock request on the same connection,
 * so when the lock was free the state read is already the one under the lock — one round trip a turn saved. When
 * someone else held it, the state is read again once the lock is ours.
 *
 * Proactive turns (continueConversation: agents' words, notices, reminders, follow-ups) do not take the lock here:
 * they send to the owner's channel, and a send must never hold the owner's turns up. The state work one of them does
 * takes the lock itself and sends after releasing it (ProactiveStateWork).
 */
export class ConversationLockMiddleware implements Middleware {
    constructor(
        private readonly lock: TurnLock,
        private readonly timeoutMs: number,
        private readonly states: TurnPreload[] = [],
    ) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const { channelId, conversation, type, name } = context.activity;
        if (type === ActivityTypes.Event && name === ActivityEventNames.ContinueConversation) return next();
        // `acquire` sends its request before its first await, so it is on the wire ahead of the reads.
        const acquiring = this.lock.acquire(`${channelId}/${conversation.id}`, this.timeoutMs);
        // Never rejects: a failed early read is simply read again below, under the lock, where a failure is reported.
        const loading = Promise.all(this.states.map((state) => state.load(context))).then(() => true, () => false);
        const release = await acquiring.finally(() => loading);
        const loadedUnderLock = (await loading) && !release.contended;
        try {
            if (!loadedUnderLock) await Promise.all(this.states.map((state) => state.load(context, true)));
            await next();
        } finally {
            // Sent, not awaited: the reply need not wait a round trip. Redis runs one connection's commands in order,
            // so this instance's next turn for the conversation finds the lock free; another instance retries briefly.
            // If the release fails (store down) the lease expires by itself.
            release().catch(() => undefined);
        }
    }
}
