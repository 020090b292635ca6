import type { TrainingExample } from './IntentClassifier';

/**
 * A trained model as JSON. Most features occur under one or two labels, so counts are kept sparse: feature i's
 * entries run from `starts[i]` to `starts[i + 1]`, each a label index and a count. The arrays are base64 (Uint32), so
 * the file of a model trained on thousands of sentences parses in milliseconds.
 */
export interface SerializedNaiveBayes {
    labels: string[];
    alpha: number;
    /** Per label, how many features its training sentences held in all. */
    totals: number[];
    features: string[];
    /** Uint32 × (features + 1). */
    starts: string;
    /** Uint32 per entry: label index in the top 8 bits, count in the rest. */
    entries: string;
}

const LABEL_SHIFT = 24;
const COUNT_MASK = (1 << LABEL_SHIFT) - 1;

/**
 * Multinomial naive Bayes over the same sparse features as the softmax model, with a uniform prior (the labels'
 * sizes say how many sentences were written, not how often owners write them). It weighs every feature it has seen
 * by how much likelier it is under one label than the others, where the softmax model spreads weight over features
 * that co-occur; the two err on different messages, which is why they are blended (BlendedIntentClassifier).
 */
export class NaiveBayesClassifier {
    private readonly labels: string[];
    private readonly featureIndex = new Map<string, number>();
    private readonly starts: Uint32Array;
    private readonly entryLabels: Uint8Array;
    /** Per entry, log((count + alpha) / alpha): how much likelier the feature is under that label than unseen. */
    private readonly lifts: Float64Array;
    /** Per label, log(alpha) − log(total + alpha · vocabulary): the log-likelihood of a feature it never saw. */
    private readonly unseen: Float64Array;

    static train(examples: TrainingExample[], alpha: number): NaiveBayesClassifier {
        const labels = [...new Set(examples.map((e) => e.label))].sort();
        const labelIndex = new Map(labels.map((l, i) => [l, i]));
        const totals = new Array<number>(labels.length).fill(0);
        const counts = new Map<string, Map<number, number>>();
        for (const e of examples) {
            const c = labelIndex.get(e.label)!;
            totals[c]! += e.features.length;
            for (const f of e.features) {
                const byLabel = counts.get(f) ?? new Map<number, number>();
                counts.set(f, byLabel);
                byLabel.set(c, (byLabel.get(c) ?? 0) + 1);
            }
        }
        const features = [...counts.keys()];
        const starts = new Uint32Array(features.length + 1);
        const entries: number[] = [];
        features.forEach((f, i) => {
            starts[i] = entries.length;
            for (const [label, count] of counts.get(f)!) entries.push(((label << LABEL_SHIFT) | Math.min(count, COUNT_MASK)) >>> 0);
        });
        starts[features.length] = entries.length;
        return new NaiveBayesClassifier({
            labels,
            alpha,
            totals,
            features,
            starts: base64(starts),
            entries: base64(Uint32Array.from(entries)),
        });
    }

    static fromJSON(model: SerializedNaiveBayes): NaiveBayesClassifier {
        return new NaiveBayesClassifier(model);
    }

    private constructor(private readonly model: SerializedNaiveBayes) {
        this.labels = model.labels;
        model.features.forEach((f, i) => this.featureIndex.set(f, i));
        this.starts = uint32(model.starts);
        const entries = uint32(model.entries);
        this.entryLabels = new Uint8Array(entries.length);
        this.lifts = new Float64Array(entries.length);
        const logAlpha = Math.log(model.alpha);
        for (let i = 0; i < entries.length; i++) {
            this.entryLabels[i] = entries[i]! >>> LABEL_SHIFT;
            this.lifts[i] = Math.log((entries[i]! & COUNT_MASK) + model.alpha) - logAlpha;
        }
        const vocabulary = model.features.length;
        this.unseen = Float64Array.from(model.totals, (total) => logAlpha - Math.log(total + model.alpha * vocabulary));
    }

    toJSON(): SerializedNaiveBayes {
        return this.model;
    }

    /**
     * Each label's probability, the log-likelihoods divided by `temperature` first: naive Bayes counts correlated
     * features (a word and its characters) as independent evidence, so its raw probabilities are near 0 or 1.
     * Features never seen in training say nothing and are left out.
     */
    probabilities(featureNames: string[], temperature: number): Map<string, number> {
        const k = this.labels.length;
        const logs = new Float64Array(k);
        let known = 0;
        for (const f of featureNames) {
            const index = this.featureIndex.get(f);
            if (index === undefined) continue;
            known++;
            for (let e = this.starts[index]!; e < this.starts[index + 1]!; e++) logs[this.entryLabels[e]!]! += this.lifts[e]!;
        }
        let max = -Infinity;
        for (let c = 0; c < k; c++) {
            logs[c] = (logs[c]! + known * this.unseen[c]!) / temperature;
            max = Math.max(max, logs[c]!);
        }
        let sum = 0;
        for (let c = 0; c < k; c++) {
            logs[c] = Math.exp(logs[c]! - max);
            sum += logs[c]!;
        }
        return new Map(this.labels.map((label, c) => [label, logs[c]! / sum]));
    }
}

function base64(array: Uint32Array): string {
    return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function uint32(text: string): Uint32Array {
    const raw = Buffer.from(text, 'base64');
    // A copy: Buffer's pool may place the bytes at an offset that is not a multiple of 4.
    return new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}
