/**
 * The owner's words turned round for a restatement ("您是说……，对吗？"): first and second person swapped, trailing
 * punctuation dropped, long messages cut at a clause boundary.
 */
const RHETORICAL_WORDS = '到底|管不管|怎么回事|凭什么|有没有人|还让不让|什么意思|搞什么';
const RHETORICAL = new RegExp(RHETORICAL_WORDS);
/** Clause breaks: sentence ends, and a comma before a clause that is a rhetorical question. */
const CLAUSES = new RegExp(`[!！?？。]+|[，,](?=[^，,]*(?:${RHETORICAL_WORDS}))`);

export function restate(text: string, maxChars = 40): string {
    // Exclamations and rhetorical questions are the owner's feelings, not the facts to confirm.
    const clauses = text.split(CLAUSES).map((c) => c.trim()).filter(Boolean);
    const factual = clauses.filter((c) => !RHETORICAL.test(c));
    const swapped = (factual.length > 0 ? factual : clauses).join('，')
        .replace(/你们|我们|您|你|我/g, (w) => ({ 你们: '我们', 我们: '你们', 您: '我', 你: '我', 我: '您' })[w] ?? w)
        .replace(/[。.!！?？~～\s]+$/u, '');
    if ([...swapped].length <= maxChars) return swapped;
    const cut = [...swapped].slice(0, maxChars).join('');
    const lastBreak = Math.max(cut.lastIndexOf('，'), cut.lastIndexOf(','), cut.lastIndexOf('；'));
    return `${lastBreak > 10 ? cut.slice(0, lastBreak) : cut}……`;
}
