import { toHalfWidth } from './nlu/normalizeText';

/**
 * Masks personal data before it reaches logs or transcripts shown outside the agent API.
 *
 * The patterns are matched on the text as NormalizeMiddleware reads it (full-width → half-width: Chinese input
 * methods type １３８１２３４５６７８ and ０７５５－８８８８６６６６), and only the matched numbers are replaced; the rest
 * stays as written, so a JSON log line stays valid JSON (a full-width ＂ or ＼ must not become a quote or a backslash).
 *
 * Each pattern starts and ends at a digit boundary only: letters may touch a number (ID110101199003071234,
 * tel13812345678). Between the groups of a phone number one hyphen, dot or space is allowed (138-1234-5678,
 * 138.1234.5678, 138 1234 5678, 0755.8888.6666). ID numbers go first: an 18-digit ID contains runs that look like a
 * mobile number.
 */
const SEPARATOR = String.raw`[-.\s]?`;

/** Second-generation ID: 6-digit area, YYYYMMDD birth date, 3 digits and a check digit (or X). */
const ID_CARD = /(?<!\d)([1-9]\d{5})(\d{8})(\d{3}[\dXx])(?!\d)/g;

/**
 * First-generation ID: 6-digit area, YYMMDD birth date, 3 digits. Fifteen digits are a common length for other
 * numbers (order and device numbers), so the birth date must be a date for the number to count as an ID.
 */
const OLD_ID_CARD = /(?<!\d)([1-9]\d{5})(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})(?!\d)/g;

/** Mobile: 1[3-9]x xxxx xxxx, maybe after +86, 0086 or 86. */
const MOBILE = new RegExp(String.raw`(?<!\d)(?:(?:\+|00)?86${SEPARATOR})?(1[3-9]\d)${SEPARATOR}(\d{4})${SEPARATOR}(\d{4})(?!\d)`, 'g');

/** Landline: 0 and a 2–3 digit area code, a 7–8 digit number. */
const LANDLINE = new RegExp(String.raw`(?<!\d)(0\d{2,3})${SEPARATOR}(\d{3,4})${SEPARATOR}(\d{4})(?!\d)`, 'g');

type Masker = (groups: string[]) => string;

const MASKS: [RegExp, Masker][] = [
    [ID_CARD, ([area, birth, tail]) => `${area}${'*'.repeat(birth?.length ?? 0)}${tail}`],
    [OLD_ID_CARD, ([area, birth, tail]) => `${area}${'*'.repeat(birth?.length ?? 0)}${tail}`],
    [MOBILE, ([head, , tail]) => `${head}****${tail}`],
    [LANDLINE, ([area, mid, tail]) => `${area}-${'*'.repeat(mid?.length ?? 0)}${tail}`],
];

/**
 * True when `text` may hold something `maskPii` masks; false only when it certainly does not. Every pattern above
 * holds 3 digits, at most one other character, then 4 digits (in the normalised text; before normalisation each
 * digit may be full-width, and the separator may be any one character). ISO times (2026-11-24T10:00:00.000Z) and
 * ticket ids (TS-20261124-0007) do not, so most log lines skip the masking.
 */
const MAY_HOLD_PII = /[0-9\uFF10-\uFF19]{3}[\s\S]?[0-9\uFF10-\uFF19]{4}/;

export function mayHoldPii(text: string): boolean {
    return MAY_HOLD_PII.test(text);
}

export function maskPii(text: string): string {
    // toHalfWidth maps one UTF-16 unit to one, so an index in `plain` is the same index in `shown`.
    let plain = toHalfWidth(text);
    let shown = text;
    for (const [pattern, mask] of MASKS) {
        let nextPlain = '';
        let nextShown = '';
        let last = 0;
        for (const match of plain.matchAll(pattern)) {
            const masked = mask(match.slice(1));
            nextPlain += plain.slice(last, match.index) + masked;
            nextShown += shown.slice(last, match.index) + masked;
            last = match.index + match[0].length;
        }
        if (last === 0) continue;
        plain = nextPlain + plain.slice(last);
        shown = nextShown + shown.slice(last);
    }
    return shown;
}

/** Deep-copies a JSON-like value with every string masked (activity bodies, state snapshots). */
export function maskDeep<T>(value: T): T {
    if (typeof value === 'string') return maskPii(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => maskDeep(v)) as T;
    if (value && typeof value === 'object' && !(value instanceof Date)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = maskDeep(v);
        return out as T;
    }
    return value;
}
