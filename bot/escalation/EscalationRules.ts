import type { ConversationMemory } from '../ConversationMemory';
import { loadDataFile } from '../dataFile';
import type { Emotion, EscalationReason, Intent, Signal } from '../nlu/NluResult';
import type { TicketKind } from '../tickets/Ticket';
import { EscalationRuleFile, type Counter, type EscalationRule } from './EscalationRuleSet';

/** What the rules look at in one turn. */
export interface TurnFacts {
    intent: Intent;
    emotion: Emotion;
    /** Escalation words the lexicons found in this message. */
    signals: readonly Signal[];
    /** The turn got no useful answer (too unsure to classify, or a question the knowledge lacks). */
    notUnderstood: boolean;
    /** The owner says the previous answer did not help. */
    unhelpful: boolean;
    /** The kind of ticket this message leads to, if any (see `ticketKindOf`). */
    ticketKind?: TicketKind | null;
}

/** The ticket a message leads to, from what it is about: the flows open these kinds for these intents. */
export function ticketKindOf(intent: Intent, sub: string | null): TicketKind | null {
    if (intent === 'complaint') return 'complaint';
    if (intent === 'repair') return 'repair';
    if (intent === 'emergency') return 'emergency';
    if (intent === 'fee_arrears') return sub === 'hardship' ? 'installment' : sub === 'service_dissatisfaction' ? 'complaint' : null;
    return null;
}

export interface EscalationDecision {
    escalate: boolean;
    reason: EscalationReason | null;
    /** The name of the rule that fired, for the trace and the handoff record. */
    rule: string | null;
    priority: number | null;
    /** Not a handoff, but the reply should offer a person (an `offer` rule fired). */
    offer: boolean;
}

const NONE: EscalationDecision = { escalate: false, reason: null, rule: null, priority: null, offer: false };

/**
 * The escalation rules from `knowledge/escalation-rules.json`, checked in order: the first whose conditions all hold
 * fires. Keeps the conversation's counters (turns in a row) in `memory` and resets them when a rule fires.
 */
export class EscalationRules {
    constructor(private readonly rules: readonly EscalationRule[]) {}

    static fromFile(file: string): EscalationRules {
        return new EscalationRules(loadDataFile(file, EscalationRuleFile).rules);
    }

    decide(facts: TurnFacts, memory: ConversationMemory): EscalationDecision {
        const counters = countersOf(memory);
        counters.angry = facts.emotion === 'angry' ? counters.angry + 1 : 0;
        counters.notUnderstood = facts.notUnderstood ? counters.notUnderstood + 1 : 0;
        counters.unhelpful = facts.unhelpful ? counters.unhelpful + 1 : 0;
        const fired = this.rules.find((rule) => matches(rule, facts, counters));
        // A handoff starts the counts afresh; an offer leaves them running, so the run can still end in a handoff.
        if (fired?.action.type === 'handoff') {
            counters.angry = 0;
            counters.notUnderstood = 0;
            counters.unhelpful = 0;
        }
        memory.angryStreak = counters.angry;
        memory.notUnderstoodStreak = counters.notUnderstood;
        memory.unhelpfulStreak = counters.unhelpful;
        if (!fired) return NONE;
        if (fired.action.type === 'offer') return { ...NONE, rule: fired.name, offer: true };
        return { escalate: true, reason: fired.action.reason, rule: fired.name, priority: fired.action.priority, offer: false };
    }
}

function countersOf(memory: ConversationMemory): Record<Counter, number> {
    // unhelpfulStreak is newer than the other two: conversations stored before it have none.
    return { angry: memory.angryStreak, notUnderstood: memory.notUnderstoodStreak, unhelpful: memory.unhelpfulStreak ?? 0 };
}

function matches(rule: EscalationRule, facts: TurnFacts, counters: Record<Counter, number>): boolean {
    const { intent, emotion, signal, counter, ticketKind } = rule.when;
    if (ticketKind && !(facts.ticketKind && ticketKind.includes(facts.ticketKind))) return false;
    if (intent && !intent.includes(facts.intent)) return false;
    if (emotion && !emotion.includes(facts.emotion)) return false;
    if (signal && !signal.some((s) => facts.signals.includes(s))) return false;
    if (counter && counters[counter.name] < counter.atLeast) return false;
    return true;
}
