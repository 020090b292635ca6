import type { ConversationMemory } from './ConversationMemory';
import type { EscalationReason, Understanding } from './nlu/NluResult';

export interface EscalationDecision {
    escalate: boolean;
    reason: EscalationReason | null;
}

/**
 * Conversation-level escalation: what one message calls for by itself, plus the counters (two not-understood turns in
 * a row, two angry turns in a row). Updates the counters in `memory`.
 */
export class EscalationPolicy {
    constructor(private readonly streakLimit = 2) {}

    /** `notUnderstood`: the turn got no useful answer (too unsure to classify, or a question the knowledge lacks). */
    decide(understanding: Understanding, memory: ConversationMemory, notUnderstood: boolean): EscalationDecision {
        memory.notUnderstoodStreak = notUnderstood ? memory.notUnderstoodStreak + 1 : 0;
        memory.angryStreak = understanding.emotion === 'angry' ? memory.angryStreak + 1 : 0;

        let reason: EscalationReason | null = understanding.escalationReason;
        if (!reason && memory.angryStreak >= this.streakLimit) reason = 'repeated_anger';
        if (!reason && memory.notUnderstoodStreak >= this.streakLimit) reason = 'not_understood';
        if (reason) {
            memory.notUnderstoodStreak = 0;
            memory.angryStreak = 0;
        }
        return { escalate: reason !== null, reason };
    }
}
