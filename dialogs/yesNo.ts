/**
 * Yes or no in an owner's Chinese. Recognizers-Text's Chinese boolean model misses 不要 and 不用了, and "不对" must not
 * read as "对", so the no-words are checked first.
 */
const NO = /不对|不是|不要|不用|错了|没有|不完全|^no\b|^n$|^否/i;
const YES = /^(对|是|嗯|好|没错|正确|确认|可以|行|对的|是的|对啊|是啊|没问题|yes|ok|y)(?![^\s,，。.!！]{3,})/i;

export function readYesNo(text: string): boolean | null {
    const t = text.trim();
    if (NO.test(t)) return false;
    if (YES.test(t)) return true;
    return null;
}
