/**
 * Masks personal data before it reaches logs or transcripts shown outside the agent API.
 * ID numbers go first: an 18-digit ID contains runs that look like a mobile number.
 */
const ID_CARD = /(?<![0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)/g;

export function maskPii(text: string): string {
    return text
        .replace(ID_CARD, (_m, area: string, birth: string, tail: string) => `${area}${'*'.repeat(birth.length)}${tail}`)
        .replace(MOBILE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`)
        .replace(LANDLINE, (_m, area: string, mid: string, tail: string) => `${area}-${'*'.repeat(mid.length)}${tail}`);
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
