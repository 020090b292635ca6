/** The cap on a conversation's stored activities: the oldest go first. */
export const MAX_ACTIVITIES_PER_CONVERSATION = 1000;
/** A conversation nobody has written in lives this long (a page opened and left). */
export const SILENT_CONVERSATION_TTL_SECONDS = 3600;
/** How long a conversation and its activities are kept from now. */
export function conversationLife(conversation, ttlSeconds) {
    return conversation.ownerSpoke ? ttlSeconds : Math.min(ttlSeconds, SILENT_CONVERSATION_TTL_SECONDS);
}
/** An activity's sequence from its id (`<conversationId>|<seq>`). */
export function sequenceOf(id) {
    const seq = Number(id?.slice(id.lastIndexOf('|') + 1));
    return Number.isInteger(seq) ? seq : 0;
}
export function activityId(conversationId, seq) {
    return `${conversationId}|${String(seq).padStart(7, '0')}`;
}
