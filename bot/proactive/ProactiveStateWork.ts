import { DeliveryModes, TurnContext, type Activity } from 'botbuilder';
import type { TurnLock } from '../locks/TurnLock';

export interface StateWorkResult<T> {
    result: T;
    /** What the work said, to be sent once the lock is released. */
    replies: Partial<Activity>[];
}

/**
 * State work in a proactive turn (a follow-up visit opening its dialog), under the conversation's turn lock like an
 * owner's turn, but with no network send inside the lock: the work runs on a context over the same conversation that
 * keeps what it says (as for expectReplies), and the caller sends that once the lock is released. A slow or dead
 * channel then holds up the staff action, never the owner's own turns.
 */
export class ProactiveStateWork {
    constructor(
        private readonly lock: TurnLock,
        private readonly timeoutMs: number,
    ) {}

    async run<T>(context: TurnContext, work: (kept: TurnContext) => Promise<T>): Promise<StateWorkResult<T>> {
        const { channelId, conversation } = context.activity;
        const release = await this.lock.acquire(`${channelId}/${conversation.id}`, this.timeoutMs);
        try {
            const kept = new TurnContext(context.adapter, { ...context.activity, deliveryMode: DeliveryModes.ExpectReplies });
            const result = await work(kept);
            return { result, replies: kept.bufferedReplyActivities };
        } finally {
            await release().catch(() => undefined);
        }
    }
}
