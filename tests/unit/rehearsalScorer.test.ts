import { describe, expect, it } from 'vitest';
import { SqliteRehearsalStore } from '../../adapters/rehearsals/SqliteRehearsalStore';
import { RehearsalService } from '../../bot/rehearsal/RehearsalService';
import { EntityExtractor } from '../../bot/nlu/EntityExtractor';
import type { Scorecard } from '../../bot/rehearsal/Scorecard';
import { REQUIRED_SCENARIOS, LEVELS, loadRehearsalTranscripts, type RehearsalTranscript } from '../helpers/rehearsalTranscripts';
import { SCORING_NOW, TranscriptScorer } from '../helpers/rehearsalScoring';

// The scorer measured on the tuning two thirds of the labelled set (heldOut: false). The held-out third is scored
// only by the final measurement (tests/eval/rehearsalMeasure.ts), never here.
const tuning: RehearsalTranscript[] = loadRehearsalTranscripts()
    .flatMap((file) => file.transcripts)
    .filter((t) => !t.heldOut);
const scorer = new TranscriptScorer();
const cards = new Map(tuning.map((t) => [t.id, scorer.score(t)]));
const card = (t: RehearsalTranscript): Scorecard => cards.get(t.id) as Scorecard;
const step = (c: Scorecard, name: string) => c.steps.find((s) => s.step === name)?.score ?? NaN;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('rehearsal scorer on the tuning set', () => {
    it.each(REQUIRED_SCENARIOS)('%s: good > mediocre > bad by at least 10 points each, good − bad at least 30', (scenario) => {
        const [good, mediocre, bad] = LEVELS.map((level) => mean(tuning.filter((t) => t.scenario === scenario && t.level === level).map((t) => card(t).overall)));
        expect(good! - mediocre!, `good ${good} mediocre ${mediocre}`).toBeGreaterThanOrEqual(10);
        expect(mediocre! - bad!, `mediocre ${mediocre} bad ${bad}`).toBeGreaterThanOrEqual(10);
        expect(good! - bad!).toBeGreaterThanOrEqual(30);
    });

    it('never flags a good trainee, nor any words labelled as no violation', () => {
        for (const t of tuning) {
            if (t.level === 'good') expect(card(t).forbidden, t.id).toEqual([]);
            for (const excused of t.labels.notViolations) {
                expect(card(t).forbidden.filter((f) => f.turn === excused.turn && (f.phrase.includes(excused.phrase) || excused.phrase.includes(f.phrase))), `${t.id}: ${excused.phrase}`).toEqual([]);
            }
        }
    });

    it('flags every labelled forbidden phrase and unsafe promise at its turn, with its kind', () => {
        for (const t of tuning) {
            for (const label of t.labels.forbidden) {
                const found = card(t).forbidden.some((f) => f.turn === label.turn && f.kind === label.kind && (f.phrase.includes(label.phrase) || label.phrase.includes(f.phrase)));
                expect(found, `${t.id} turn ${label.turn}: ${label.phrase}`).toBe(true);
            }
        }
    });

    it('quotes evidence from the trainee own words (at least 4 characters) for every step scored 50 or more', () => {
        for (const t of tuning) {
            const words = t.trainee.join('\n');
            for (const s of card(t).steps) {
                const quotes = s.evidence.filter((q) => q !== 'missing');
                if (s.score >= 50) expect(quotes.length, `${t.id} ${s.step}`).toBeGreaterThan(0);
                for (const q of quotes) expect(q.length >= 4 && words.includes(q), `${t.id} ${s.step}: ${q}`).toBe(true);
                expect(s.reason.length).toBeGreaterThan(0);
                if (s.score < 60) expect(s.model, `${t.id} ${s.step}`).toMatch(/\S{4,}/);
            }
            expect(card(t).tips.length).toBeGreaterThanOrEqual(1);
            expect(card(t).tips.length).toBeLessThanOrEqual(3);
        }
    });
});

describe('rehearsal scorer, metamorphic', () => {
    const goods = tuning.filter((t) => t.level === 'good');
    const scoreWith = (t: RehearsalTranscript, trainee: string[]) => scorer.score({ ...t, trainee });

    it('removing the empathy lines of a good transcript lowers empathise by at least 20 and moves no other step by more than 5', () => {
        for (const t of goods) {
            const before = card(t);
            const quotes = before.steps.find((s) => s.step === 'empathise')?.evidence ?? [];
            const trainee = t.trainee.map((words) => quotes.reduce((w, q) => w.replace(q, ''), words)).map((w) => w.trim() || '好的。');
            const after = scoreWith(t, trainee);
            expect(step(before, 'empathise') - step(after, 'empathise'), t.id).toBeGreaterThanOrEqual(20);
            for (const other of ['listen', 'clarify', 'resolve', 'follow_up']) expect(Math.abs(step(before, other) - step(after, other)), `${t.id} ${other}`).toBeLessThanOrEqual(5);
        }
    });

    it('replacing the concrete times of the resolution with 尽快 lowers resolve', () => {
        const entities = new EntityExtractor(() => SCORING_NOW);
        for (const t of goods) {
            const before = card(t);
            const quotes = before.steps.find((s) => s.step === 'resolve')?.evidence ?? [];
            // Every time the recogniser finds in the turns that carry the resolution becomes 尽快.
            const trainee = t.trainee.map((words) => {
                if (!quotes.some((q) => words.includes(q))) return words;
                // Sentence by sentence, as the scorer reads them (the recogniser reads a long turn differently).
                return (words.match(/[^。！？；]+[。！？；]*/g) ?? [words])
                    .map((sentence) => {
                        // The recogniser's times, and the spans the scorer takes as concrete ("一小时内").
                        const spans = sentence.match(new RegExp(`[一二三四五六七八九十两\\d]+(?:${scorer.book.cues.resolve.concrete.join('|')})`, 'g')) ?? [];
                        const times = [...entities.times(sentence).map((found) => found.text), ...spans].sort((a, b) => b.length - a.length);
                        return times.reduce((w, time) => w.split(time).join('尽快'), sentence);
                    })
                    .join('');
            });
            expect(trainee, t.id).not.toEqual(t.trainee);
            expect(step(scoreWith(t, trainee), 'resolve'), t.id).toBeLessThan(step(before, 'resolve'));
        }
    });

    it('adding 合同写了必须交 to a turn flags it with that turn', () => {
        for (const t of goods) {
            const turn = t.trainee.length - 1;
            const trainee = t.trainee.map((words, i) => (i === turn ? `${words}不过合同写了必须交。` : words));
            const after = scoreWith(t, trainee);
            expect(after.forbidden, t.id).toContainEqual({ phrase: '合同写了必须交', turn, kind: 'phrase' });
            expect(after.overall, t.id).toBeLessThan(card(t).overall);
        }
    });
});

describe('rehearsal scorer, played live', () => {
    it('keeps the levels apart and flags no good trainee when the tuning transcripts are played to the simulated owner', async () => {
        // As a check over HTTP would: the owner's facts are the scenario's, not the transcript's.
        const service = new RehearsalService({ book: scorer.book, store: new SqliteRehearsalStore(':memory:'), entities: new EntityExtractor(() => SCORING_NOW), clock: () => SCORING_NOW });
        const live = new Map<string, Scorecard>();
        for (const t of tuning) {
            const started = await service.start({ scenario: t.scenario, persona: t.persona, seed: 1, trainee: 'eval' });
            for (const text of t.trainee) await service.turn(started!.id, text);
            live.set(t.id, (await service.finish(started!.id))!);
        }
        for (const scenario of REQUIRED_SCENARIOS) {
            const [good, mediocre, bad] = LEVELS.map((level) => mean(tuning.filter((t) => t.scenario === scenario && t.level === level).map((t) => live.get(t.id)!.overall)));
            expect(good! - mediocre!, scenario).toBeGreaterThanOrEqual(10);
            expect(mediocre! - bad!, scenario).toBeGreaterThanOrEqual(10);
            expect(good! - bad!, scenario).toBeGreaterThanOrEqual(30);
        }
        for (const t of tuning.filter((x) => x.level === 'good')) expect(live.get(t.id)!.forbidden, t.id).toEqual([]);
    });
});
