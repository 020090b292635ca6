import { describe, expect, it } from 'vitest';
import { BlendedIntentClassifier, type SerializedBlend } from '../../bot/nlu/BlendedIntentClassifier';
import { NaiveBayesClassifier, type SerializedNaiveBayes } from '../../bot/nlu/NaiveBayesClassifier';

// Features as the extractor names them; repair has three times the sentences of the others, as faq has in the data.
const examples = [
    { label: 'repair', features: ['c:灯', 'b:坏了', 'w:修'] },
    { label: 'repair', features: ['c:门', 'b:坏了', 'w:修'] },
    { label: 'repair', features: ['c:窗', 'b:坏了', 'w:修'] },
    { label: 'repair', features: ['c:锁', 'b:坏了', 'w:修'] },
    { label: 'repair', features: ['c:灯', 'b:不亮', 'w:修'] },
    { label: 'repair', features: ['c:门', 'b:关不', 'w:修'] },
    { label: 'faq', features: ['w:物业费', 'q:question', 'w:怎么'] },
    { label: 'faq', features: ['w:物业费', 'q:question', 'w:多少'] },
    { label: 'complaint/facility', features: ['c:灯', 'b:坏了', 'w:一直', 'w:没人管'] },
    { label: 'complaint/facility', features: ['c:门', 'w:一直', 'w:没人管'] },
];

describe('naive Bayes', () => {
    const model = NaiveBayesClassifier.train(examples, 0.02);
    const best = (p: Map<string, number>) => [...p.entries()].sort((a, b) => b[1] - a[1])[0]![0];

    it('reads the features it learned, and its probabilities sum to one', () => {
        const p = model.probabilities(['w:物业费', 'w:多少'], 5);
        expect(best(p)).toBe('faq');
        expect([...p.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        expect(best(model.probabilities(['w:一直', 'w:没人管', 'c:门'], 5))).toBe('complaint/facility');
    });

    it('gives no label an edge for having more sentences: unseen features leave every label alike', () => {
        const p = model.probabilities(['x:never-seen'], 5);
        for (const probability of p.values()) expect(probability).toBeCloseTo(1 / 3, 9);
    });

    it('is softened by the temperature: near-certain raw, less so at 5', () => {
        const raw = model.probabilities(['c:灯', 'b:坏了', 'w:修'], 1).get('repair')!;
        const soft = model.probabilities(['c:灯', 'b:坏了', 'w:修'], 5).get('repair')!;
        expect(raw).toBeGreaterThan(0.99);
        expect(soft).toBeLessThan(raw);
        expect(soft).toBeGreaterThan(0.5);
    });

    it('reads back from its file as the model that was trained', () => {
        const loaded = NaiveBayesClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())) as SerializedNaiveBayes);
        for (const probe of [['c:灯', 'b:坏了'], ['w:物业费'], ['w:没人管', 'w:修'], []]) {
            const a = model.probabilities(probe, 5);
            const b = loaded.probabilities(probe, 5);
            for (const [label, p] of a) expect(b.get(label), `${probe.join(' ')} ${label}`).toBeCloseTo(p, 12);
        }
    });
});

describe('the blended model', () => {
    it('ranks every label, and reads back from its file alike', () => {
        const blend = BlendedIntentClassifier.train(examples);
        const loaded = BlendedIntentClassifier.fromJSON(JSON.parse(JSON.stringify(blend.toJSON())) as SerializedBlend);
        for (const probe of [['c:灯', 'b:坏了', 'w:修'], ['w:物业费', 'q:question'], ['w:一直', 'w:没人管']]) {
            const a = blend.predict(probe);
            expect(a.ranked.map((r) => r.label).sort()).toEqual(['complaint/facility', 'faq', 'repair']);
            expect(a.ranked.reduce((n, r) => n + r.probability, 0)).toBeCloseTo(1, 9);
            const b = loaded.predict(probe);
            expect(b.label).toBe(a.label);
            expect(b.probability).toBeCloseTo(a.probability, 2);
        }
        expect(blend.predict(['w:物业费', 'w:多少']).label).toBe('faq');
    });
});
