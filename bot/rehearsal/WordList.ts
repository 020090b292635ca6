/** Where a listed word was found in a text. */
export interface WordHit {
    word: string;
    index: number;
    text: string;
}

const CLAUSE_CHARS = '[^，。！？,.!?；;、]';

/**
 * Words of a rehearsal lexicon, matched as substrings; a `*` stands for up to six characters of the same clause
 * (the convention of knowledge/lexicons.json). Gives where each one was found, so a caller can look at what comes
 * before it (a negation) or quote it.
 */
export class WordList {
    private readonly patterns: { word: string; pattern: RegExp }[];

    constructor(readonly words: readonly string[]) {
        this.patterns = words.map((word) => ({
            word,
            pattern: new RegExp(word.toLowerCase().split('*').map(escapeRegExp).join(`${CLAUSE_CHARS}{0,6}`), 'g'),
        }));
    }

    /** Every occurrence of every word, in text order. */
    hits(text: string): WordHit[] {
        const lower = text.toLowerCase();
        const found: WordHit[] = [];
        for (const { word, pattern } of this.patterns) {
            pattern.lastIndex = 0;
            for (const m of lower.matchAll(pattern)) found.push({ word, index: m.index, text: text.slice(m.index, m.index + m[0].length) });
        }
        return found.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
    }

    first(text: string): WordHit | null {
        return this.hits(text)[0] ?? null;
    }

    test(text: string): boolean {
        return this.hits(text).length > 0;
    }
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
