import type { OwnerContact } from './tickets/OwnerContact';

/** What Linli keeps about one conversation between turns (conversation state, property `memory`). */
export interface ConversationMemory {
    turns: number;
    notUnderstoodStreak: number;
    angryStreak: number;
    /** Turns in a row in which the owner said the answer did not help (absent in conversations stored before it). */
    unhelpfulStreak?: number;
    /** The knowledge entry Linli answered with in the last turn, if it answered one (a follow-up reads it). */
    lastAnswer?: string | null;
    /** The last ticket a turn of this conversation wrote. */
    lastTicket?: string | null;
    /** Statutes already quoted in full in this conversation ("《法》第…条"): later answers cite them by name. */
    quotedStatutes?: string[];
}

export function emptyMemory(): ConversationMemory {
    return { turns: 0, notUnderstoodStreak: 0, angryStreak: 0, unhelpfulStreak: 0 };
}

/** What Linli keeps about one owner across conversations (user state, property `profile`). */
export interface OwnerProfile extends OwnerContact {
    persona?: 'elderly' | 'young' | 'default';
}
