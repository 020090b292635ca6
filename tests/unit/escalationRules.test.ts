import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyMemory } from '../../bot/ConversationMemory';
import { DataFileError } from '../../bot/dataFile';
import { EscalationRules, ticketKindOf, type TurnFacts } from '../../bot/escalation/EscalationRules';
import { PROJECT_ROOT } from '../../bot/paths';

const rules = EscalationRules.fromFile(join(PROJECT_ROOT, 'knowledge', 'escalation-rules.json'));

const calm: TurnFacts = { intent: 'faq', emotion: 'calm', signals: [], notUnderstood: false, unhelpful: false };
const facts = (over: Partial<TurnFacts>): TurnFacts => ({ ...calm, ...over });

describe('escalation rules (knowledge/escalation-rules.json)', () => {
    it.each([
        ['emergency', facts({ intent: 'emergency', signals: ['emergency'], emotion: 'upset' }), 1],
        ['requested', facts({ intent: 'human_agent' }), 3],
        ['legal_threat', facts({ intent: 'complaint', signals: ['legal_threat'], emotion: 'upset' }), 2],
        ['abuse', facts({ intent: 'complaint', signals: ['abuse'], emotion: 'angry' }), 2],
        ['safety', facts({ intent: 'complaint', signals: ['safety'], emotion: 'upset' }), 1],
    ] as const)('one message is enough for %s', (reason, turn, priority) => {
        const decision = rules.decide(turn, emptyMemory());
        expect(decision).toMatchObject({ escalate: true, reason, priority });
        expect(decision.rule).toMatch(/^[a-z_]+$/);
    });

    it('the most serious signal wins when a message carries several', () => {
        expect(rules.decide(facts({ intent: 'emergency', signals: ['emergency', 'abuse'] }), emptyMemory()).reason).toBe('emergency');
        expect(rules.decide(facts({ intent: 'complaint', signals: ['safety', 'legal_threat'] }), emptyMemory()).reason).toBe('safety');
    });

    it.each([
        ['repeated_anger', 'angry_twice', facts({ intent: 'complaint', emotion: 'angry' })],
        ['not_understood', 'not_understood_twice', facts({ intent: 'out_of_scope', notUnderstood: true })],
        ['unresolved', 'answer_did_not_help_twice', facts({ intent: 'out_of_scope', unhelpful: true })],
    ] as const)('%s fires on the second turn in a row, not the first, and resets its counter', (reason, rule, turn) => {
        const memory = emptyMemory();
        expect(rules.decide(turn, memory).escalate).toBe(false);
        expect(rules.decide(turn, memory)).toMatchObject({ escalate: true, reason, rule });
        expect(rules.decide(turn, memory).escalate).toBe(false);
    });

    it('a turn in between breaks the run', () => {
        const memory = emptyMemory();
        const lost = facts({ intent: 'out_of_scope', notUnderstood: true });
        expect(rules.decide(lost, memory).escalate).toBe(false);
        expect(rules.decide(calm, memory).escalate).toBe(false);
        expect(rules.decide(lost, memory).escalate).toBe(false);
        expect(rules.decide(lost, memory).reason).toBe('not_understood');
    });

    it('reads a conversation stored before the unhelpful counter existed', () => {
        const stored = { turns: 3, notUnderstoodStreak: 0, angryStreak: 0 };
        expect(rules.decide(facts({ unhelpful: true }), stored).escalate).toBe(false);
        expect(stored).toMatchObject({ unhelpfulStreak: 1 });
    });

    it('does not escalate a calm question', () => {
        expect(rules.decide(calm, emptyMemory())).toEqual({ escalate: false, reason: null, rule: null, priority: null, offer: false });
    });

    it('offers a person after the first unhelpful answer, and hands over at the second', () => {
        const memory = emptyMemory();
        const unhelpful = facts({ intent: 'out_of_scope', unhelpful: true });
        expect(rules.decide(unhelpful, memory)).toMatchObject({ escalate: false, offer: true, rule: 'offer_after_unhelpful_answer' });
        expect(rules.decide(unhelpful, memory)).toMatchObject({ escalate: true, reason: 'unresolved', offer: false });
    });

    it('offers a person to an angry owner with a complaint, and hands over if the anger goes on', () => {
        const memory = emptyMemory();
        const angry = facts({ intent: 'complaint', emotion: 'angry', ticketKind: ticketKindOf('complaint', 'service') });
        expect(rules.decide(angry, memory)).toMatchObject({ escalate: false, offer: true, rule: 'offer_to_upset_owner' });
        expect(rules.decide(angry, memory)).toMatchObject({ escalate: true, reason: 'repeated_anger' });
    });
});

describe('the ticket a message leads to', () => {
    it.each([
        ['complaint', 'facility', 'complaint'],
        ['repair', null, 'repair'],
        ['emergency', null, 'emergency'],
        ['fee_arrears', 'hardship', 'installment'],
        ['fee_arrears', 'service_dissatisfaction', 'complaint'],
        ['fee_arrears', 'misconception', null],
        ['faq', null, null],
    ] as const)('%s/%s → %s', (intent, sub, kind) => {
        expect(ticketKindOf(intent, sub)).toBe(kind);
    });

    it('is a condition rules can use', () => {
        const only = new EscalationRules([{ name: 'angry_repair', when: { ticketKind: ['repair'], emotion: ['angry'] }, action: { type: 'offer' } }]);
        expect(only.decide(facts({ intent: 'repair', emotion: 'angry', ticketKind: 'repair' }), emptyMemory()).offer).toBe(true);
        expect(only.decide(facts({ intent: 'complaint', emotion: 'angry', ticketKind: 'complaint' }), emptyMemory()).offer).toBe(false);
        expect(only.decide(facts({ intent: 'faq', emotion: 'angry' }), emptyMemory()).offer).toBe(false);
    });
});

describe('a broken rules file', () => {
    const write = (content: unknown): string => {
        const file = join(mkdtempSync(join(tmpdir(), 'linli-rules-')), 'escalation-rules.json');
        writeFileSync(file, JSON.stringify(content));
        return file;
    };
    const rule = (name: string, reason: string) => ({ name, when: { intent: ['human_agent'] }, action: { type: 'handoff', reason, priority: 3 } });

    it('names the file and the field', () => {
        const file = write({ rules: [{ name: 'x', when: { intent: ['nonsense'] }, action: { type: 'handoff', reason: 'requested', priority: 3 } }] });
        expect(() => EscalationRules.fromFile(file)).toThrow(DataFileError);
        expect(() => EscalationRules.fromFile(file)).toThrow(/escalation-rules\.json.*rules\.0\.when\.intent/s);
    });

    it('refuses a file that leaves a contract reason without a rule', () => {
        const file = write({ rules: [rule('only_requested', 'requested')] });
        expect(() => EscalationRules.fromFile(file)).toThrow(/no rule escalates for: emergency/);
    });

    it('does not count an offer as a way to reach a reason', () => {
        const file = write({ rules: [{ name: 'offer_only', when: { intent: ['complaint'] }, action: { type: 'offer' } }] });
        expect(() => EscalationRules.fromFile(file)).toThrow(/no rule escalates for: emergency, requested/);
    });

    it('refuses a rule without conditions and duplicate names', () => {
        expect(() => EscalationRules.fromFile(write({ rules: [{ name: 'always', when: {}, action: { type: 'handoff', reason: 'requested', priority: 3 } }] }))).toThrow(
            /at least one condition/,
        );
        expect(() => EscalationRules.fromFile(write({ rules: [rule('same', 'requested'), rule('same', 'requested')] }))).toThrow(/duplicate rule name/);
    });
});
