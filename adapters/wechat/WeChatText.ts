import type { Activity } from 'botbuilder';

/**
 * WeChat's limit for one customer-service text is 2048 bytes (UTF-8). For a passive reply's text WeChat documents no
 * figure; in practice it cuts the Content at the same 2048 bytes, so one limit serves both.
 */
export const TEXT_LIMIT_BYTES = 2048;

const JOINER = '\n\n';

/** One reply as WeChat text, and the choices it offered (suggested actions, in order). */
export interface RenderedReply {
    text: string;
    choices: string[];
}

/**
 * Markdown to what a WeChat text shows as it is: emphasis and code marks dropped, headings and quotes unmarked,
 * links as "text（url）" (WeChat makes the URL tappable), list bullets as "·".
 */
export function markdownToPlain(markdown: string): string {
    return markdown
        .replace(/```[a-z]*\n?([\s\S]*?)```/g, '$1')
        .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, '$1（$2）')
        .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, label: string, url: string) => (label === url ? url : `${label}（${url}）`))
        .replace(/(\*\*|__)(.+?)\1/g, '$2')
        .replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1$2')
        .replace(/`([^`\n]+)`/g, '$1')
        .replace(/~~(.+?)~~/g, '$1')
        .replace(/^#{1,6}\s+/gm, '')
        .replace(/^>\s?/gm, '')
        .replace(/^\s*[-*+]\s+/gm, '· ')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
}

/** A bot reply as WeChat text: plain, with its suggested actions as numbered choices the owner answers with a digit. */
export function renderReply(activity: Partial<Activity>): RenderedReply | null {
    if (activity.type !== 'message') return null;
    const text = markdownToPlain(activity.text ?? '');
    const actions = activity.suggestedActions?.actions ?? [];
    const choices = actions.map((a) => String(a.value ?? a.title ?? '')).filter(Boolean);
    const titles = actions.map((a) => String(a.title ?? a.value ?? '')).filter(Boolean);
    const menu = titles.map((title, i) => `${i + 1}. ${title}`).join('\n');
    const whole = [text, menu].filter(Boolean).join('\n');
    return whole ? { text: whole, choices } : null;
}

/**
 * The texts of one turn as few WeChat messages as fit: joined while the result stays within the limit, in order. A
 * text longer than the limit is cut at a line break (or wherever it must) into pieces that fit.
 */
export function packMessages(texts: string[], limitBytes: number = TEXT_LIMIT_BYTES): string[] {
    const pieces = texts.flatMap((t) => splitToFit(t, limitBytes));
    const messages: string[] = [];
    for (const piece of pieces) {
        const last = messages.at(-1);
        if (last !== undefined && bytes(last) + bytes(JOINER) + bytes(piece) <= limitBytes) messages[messages.length - 1] = `${last}${JOINER}${piece}`;
        else messages.push(piece);
    }
    return messages;
}

function splitToFit(text: string, limitBytes: number): string[] {
    const pieces: string[] = [];
    let rest = text;
    while (bytes(rest) > limitBytes) {
        const chars = Array.from(rest);
        let size = 0;
        let cut = 0;
        while (cut < chars.length && size + bytes(chars[cut]!) <= limitBytes) size += bytes(chars[cut++]!);
        const head = chars.slice(0, cut).join('');
        const lineBreak = head.lastIndexOf('\n');
        const at = lineBreak > head.length / 2 ? lineBreak : head.length;
        pieces.push(head.slice(0, at).trimEnd());
        rest = rest.slice(at).trimStart();
    }
    if (rest) pieces.push(rest);
    return pieces;
}

function bytes(text: string): number {
    return Buffer.byteLength(text, 'utf8');
}

/** "1", "２", " 3 " → the index of the choice it names, or null. */
export function choiceIndex(text: string, count: number): number | null {
    const digits = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
    if (!/^\d{1,2}$/.test(digits)) return null;
    const n = Number(digits);
    return n >= 1 && n <= count ? n - 1 : null;
}
