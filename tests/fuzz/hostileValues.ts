import fc from 'fast-check';

/**
 * Hostile values for any field: strings that break naive code (control characters, lone surrogates, bidi marks,
 * very long text), ids aimed at object keys, file paths and Redis patterns, and values of every wrong type.
 */

/** Ids that have broken key-value code elsewhere: prototype keys, path traversal, Redis glob and key syntax. */
export const HOSTILE_IDS = [
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    '__proto__:polluted',
    '../../../../etc/passwd',
    '..\\..\\windows\\win.ini',
    '%2e%2e%2f%2e%2e%2f',
    '*',
    '?',
    '[a-z]*',
    '\\*',
    'linli:*',
    '{hashtag}',
    '',
    ' ',
    '\u0000',
    'a\r\nSet-Cookie: x=1',
    'null',
    'undefined',
    'NaN',
    '-1',
    '1e309',
    '😀😀😀',
    '\ud800',
    'TS-20261124-0007; DROP TABLE tickets',
    "' OR '1'='1",
] as const;

/** Characters that are valid JSON (escaped) but rarely expected: C0/C1 controls, lone surrogates, bidi, BOM, NUL. */
const ODD_CHARS = ['\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\u200b', '\u202e', '\ufeff', '\ufffd', '\ud800', '\udfff', '\udbff\udfff', '\u{1f4a9}'];

const oddChar = fc.constantFrom(...ODD_CHARS);

/** A string mixing ordinary Chinese and Latin text with odd characters. */
export const oddString: fc.Arbitrary<string> = fc
    .array(fc.oneof(oddChar, fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('电梯坏了', '您好', '漏水', '转人工', '物业费', '%s%n', '${x}', '<script>', '{{7*7}}')), { maxLength: 24 })
    .map((parts) => parts.join(''));

/** Any of the hostile ids, a very long id (up to `maxLong` characters) or an odd string. */
export function hostileId(maxLong = 10_240): fc.Arbitrary<string> {
    return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_IDS) },
        { weight: 1, arbitrary: fc.integer({ min: 1024, max: maxLong }).chain((n) => fc.constantFrom('x', '*', '/', '中').map((c) => c.repeat(n))) },
        { weight: 2, arbitrary: oddString },
    );
}

/** A value of any type: for "wrong type in this field". */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0, '', [], {}, [[[]]]),
    fc.integer(),
    fc.double(),
    oddString,
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'text'), fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
);

/** A string field's value: ordinary (weighted), odd, hostile, long or of the wrong type. */
export function fieldValue(ordinary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    return fc.oneof({ weight: 3, arbitrary: ordinary }, { weight: 2, arbitrary: oddString }, { weight: 1, arbitrary: hostileId(4096) }, { weight: 2, arbitrary: wrongType });
}
