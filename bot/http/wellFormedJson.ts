/** A UTF-16 surrogate without its partner: valid in a JSON string escape ("\ud800"), but no character. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every lone surrogate replaced by U+FFFD, as a UTF-8 decoder does with a broken byte. */
export function wellFormed(text: string): string {
    return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * JSON.parse, with every string value made well-formed Unicode. JSON lets a client send half a surrogate pair
 * ("\udc00"); nothing an owner or an agent types holds one, and Redis's JSON decoder refuses it, so a ticket note or a
 * message holding one would fail every store write as if the store were down (a 503, and the owner told so).
 */
export function parseWellFormedJson(text: string): unknown {
    return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value));
}
