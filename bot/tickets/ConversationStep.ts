import { createHash } from 'node:crypto';

/**
 * A short, stable name for one run of a dialog in a conversation: the turn it started in and the message that started
 * it. Not drawn at random, so a dialog that opens its ticket in its first turn, and whose state save then failed, gets
 * the same name when the owner sends the message again (the stored state, turn number included, is as it was before).
 */
export function dialogRunId(turn: number, firstMessage: string): string {
    return createHash('sha256').update(`${turn}\n${firstMessage}`).digest('base64url').slice(0, 22);
}

/** The idempotency key of a ticket written by a conversation step: the same step retried opens no second ticket. */
export function conversationStepKey(conversationId: string, dialogId: string, runId: string, step: string): string {
    return [conversationId, dialogId, runId, step].join('\n');
}
