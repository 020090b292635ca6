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

    /** Search-mode segmentation: long words also yield their parts (专项维修资金 → 专项, 维修, 资金 …). */
    searchTerms(text: string): string[] {
        return this.jieba.cutForSearch(text.toLowerCase(), true).filter((w) => !PUNCTUATION.test(w));
    }
}
