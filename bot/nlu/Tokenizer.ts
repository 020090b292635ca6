import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

const PUNCTUATION = /^[\s\p{P}\p{S}]+$/u;

/** jieba with its full dictionary plus the estate's own words (物业费, 空置房, 专项维修资金 …). */
export class Tokenizer {
    private readonly jieba: Jieba;

    constructor(domainDictFile?: string) {
        this.jieba = Jieba.withDict(dict);
        if (domainDictFile) this.jieba.loadDict(readFileSync(domainDictFile));
    }

    /** Words of the text, lower-cased, punctuation dropped. */
    words(text: string): string[] {
        return this.jieba.cut(text.toLowerCase(), true).filter((w) => !PUNCTUATION.test(w));
    }

    /** Words of the text in jieba's search mode (a long word and its parts), lower-cased, punctuation dropped. */
    searchWords(text: string): string[] {
        return this.jieba.cutForSearch(text.toLowerCase(), true).filter((w) => !PUNCTUATION.test(w));
    }

    /**
     * Terms for retrieval: search-mode words from the dictionary alone (long words also yield their parts,
     * 专项维修资金 → 专项, 维修, 资金), without HMM guesses, which split unseen phrases badly (微信交 → 微信交), plus
     * the character pairs of each stretch of content words, so a word the dictionary lacks still matches. Stopwords
     * are dropped before pairing, so "怎么办" cannot lend "么办" to an unrelated question.
     */
    searchTerms(text: string, stopwords: ReadonlySet<string> = new Set()): string[] {
        const lower = text.toLowerCase();
        const terms = this.jieba.cutForSearch(lower, false).filter((w) => !PUNCTUATION.test(w) && !stopwords.has(w));
        let stretch = '';
        const flush = () => {
            const chars = [...stretch];
            for (let i = 0; i + 1 < chars.length; i++) terms.push(`${chars[i]}${chars[i + 1]}`);
            stretch = '';
        };
        for (const word of this.jieba.cut(lower, false)) {
            if (/^\p{Script=Han}+$/u.test(word) && !stopwords.has(word)) stretch += word;
            else flush();
        }
        flush();
        return terms;
    }
}
