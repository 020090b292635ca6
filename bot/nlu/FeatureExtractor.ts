import type { Tokenizer } from './Tokenizer';

/** Change this whenever `extract` changes, so models trained by an earlier build are not used. */
export const FEATURES_VERSION = 'features-v1';

/**
 * Features of a message for the classifier: character 1- to 3-grams (robust to typos and unknown words) and jieba
 * words (which carry meaning the characters split apart). Digits are folded so "3栋" and "5栋" look alike.
 */
export class FeatureExtractor {
    constructor(private readonly tokenizer: Tokenizer) {}

    extract(text: string): string[] {
        const folded = text.toLowerCase().replace(/\d+/g, '0');
        const chars = [...folded.replace(/[\s\p{P}\p{S}]+/gu, '')];
        const features = new Set<string>();
        for (let i = 0; i < chars.length; i++) {
            features.add(`c:${chars[i]}`);
            if (i + 1 < chars.length) features.add(`b:${chars[i]}${chars[i + 1]}`);
            if (i + 2 < chars.length) features.add(`t:${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
        }
        for (const word of this.tokenizer.words(folded)) features.add(`w:${word}`);
        if (/[?？吗呢么]$|怎么|如何|什么|多少|哪/.test(text)) features.add('q:question');
        return [...features];
    }
}
