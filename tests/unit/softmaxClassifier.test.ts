import { describe, expect, it } from 'vitest';
import { SoftmaxClassifier, type SerializedModel } from '../../bot/nlu/SoftmaxClassifier';

// Features as the extractor names them; three labels that share some features, as intents do.
const examples = [
    { label: 'repair', features: ['c:灯', 'b:坏了', 'w:修'] },
    { label: 'repair', features: ['c:门', 'b:坏了', 'w:修'] },
    { label: 'faq', features: ['w:物业费', 'q:question', 'w:怎么'] },
    { label: 'faq', features: ['w:物业费', 'q:question', 'w:多少'] },
    { label: 'complaint/facility', features: ['c:灯', 'b:坏了', 'w:一直', 'w:没人管'] },
    { label: 'complaint/facility', features: ['c:门', 'w:一直', 'w:没人管'] },
];
const probes = [['c:灯', 'b:坏了'], ['w:物业费', 'w:多少'], ['w:一直', 'w:没人管', 'c:门'], ['w:修', 'w:没人管'], ['x:unknown']];

describe('the model file', () => {
    const trained = new SoftmaxClassifier(examples);

    it('reads back as the model that was trained (int8 weights, one scale per label)', () => {
        const json = trained.toJSON();
        expect(json.scales).toHaveLength(json.labels.length);
        const loaded = SoftmaxClassifier.fromJSON(JSON.parse(JSON.stringify(json)) as SerializedModel);
        for (const probe of probes) {
            const a = trained.predict(probe);
            const b = loaded.predict(probe);
            expect(b.label, probe.join(' ')).toBe(a.label);
            expect(b.probability).toBeCloseTo(a.probability, 2);
        }
    });

    it('still reads a file written with float32 weights', () => {
        const json = trained.toJSON();
        const k = json.labels.length;
        const raw = Buffer.from(json.weights, 'base64');
        const quantized = new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
        const float32 = Float32Array.from(quantized, (q, i) => (q * json.scales![i % k]!) / 127);
        const legacy: SerializedModel = { labels: json.labels, features: json.features, bias: json.bias, weights: Buffer.from(float32.buffer).toString('base64') };
        const loaded = SoftmaxClassifier.fromJSON(legacy);
        for (const probe of probes) expect(loaded.predict(probe).label).toBe(trained.predict(probe).label);
    });
});
