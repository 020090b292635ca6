import * as OpenCC from 'opencc-js';

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Full-width letters, digits and symbols (ＡＢＣ１２３－＠) and the ideographic space become their half-width forms.
 * Chinese sentence punctuation (，！？：；（）～) stays as typed: the owner's words come back in restatements and tickets,
 * and every rule that reads punctuation accepts both forms.
 */
export function toHalfWidth(text: string): string {
    return text.replace(/[\uFF01-\uFF5E]/g, (c) => (CHINESE_PUNCTUATION.has(c) ? c : String.fromCharCode(c.charCodeAt(0) - 0xfee0))).replace(/\u3000/g, ' ');
}

const CHINESE_PUNCTUATION = new Set('，！？：；（）～');

/**
 * The one form every owner message is read in, at run time (NormalizeMiddleware) and when the intent model is trained,
 * so Traditional and full-width training sentences teach the features owners' normalised messages show.
 */
export function normalizeText(text: string): string {
    return toSimplified(toHalfWidth(text)).replace(/\s+/g, ' ').trim();
}
