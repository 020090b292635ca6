/**
 * The near-duplicate rule for labelled owner messages (issue 11): two lines with the same label whose character
 * trigrams overlap by more than 80 % count as one sentence written twice, so one of them goes. Overlap is the
 * Jaccard index of the two trigram sets, computed after dropping spaces, punctuation and symbols (emoji), which
 * owners vary freely without writing a new sentence.
 */
export const NEAR_DUPLICATE_OVERLAP = 0.8;

export interface Labelled {
    id: string;
    label: string;
    text: string;
}

export interface NearDuplicate {
    a: string;
    b: string;
    overlap: number;
}

export function trigrams(text: string): Set<string> {
    const chars = [...text.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '')];
    const grams = new Set<string>();
    // A message shorter than three characters is its own single gram, so two identical fragments still collide.
    if (chars.length < 3) grams.add(chars.join(''));
    for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
    return grams;
}

export function overlap(a: Set<string>, b: Set<string>): number {
    let shared = 0;
    for (const gram of a) if (b.has(gram)) shared++;
    const union = a.size + b.size - shared;
    return union === 0 ? 1 : shared / union;
}

/**
 * Every pair of same-label lines above the threshold, in file order. Pairs are found through an index from each
 * trigram to the earlier lines of the label holding it, so only lines that share a trigram are compared and a
 * training file of thousands of lines checks in well under a second.
 */
export function findNearDuplicates(lines: Labelled[], threshold = NEAR_DUPLICATE_OVERLAP): NearDuplicate[] {
    const grams = lines.map((line) => trigrams(line.text));
    const index = new Map<string, Map<string, number[]>>();
    const found: { i: number; j: number; overlap: number }[] = [];
    const shared = new Map<number, number>();
    for (let j = 0; j < lines.length; j++) {
        const label = lines[j]!.label;
        let byGram = index.get(label);
        if (!byGram) index.set(label, (byGram = new Map()));
        shared.clear();
        for (const gram of grams[j]!) {
            const earlier = byGram.get(gram);
            if (earlier) for (const i of earlier) shared.set(i, (shared.get(i) ?? 0) + 1);
            else byGram.set(gram, []);
            byGram.get(gram)!.push(j);
        }
        for (const [i, count] of shared) {
            const value = count / (grams[i]!.size + grams[j]!.size - count);
            if (value > threshold) found.push({ i, j, overlap: value });
        }
    }
    found.sort((x, y) => x.i - y.i || x.j - y.j);
    return found.map(({ i, j, overlap: value }) => ({ a: lines[i]!.id, b: lines[j]!.id, overlap: value }));
}

/** Lines of a file in the dev-set format (id, intent, sub, escalate, persona, must, text); the label is intent/sub. */
export function readEvalLines(content: string): Labelled[] {
    return content
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('#'))
        .map((line) => {
            const [id = '', intent = '', sub = '-', , , , ...text] = line.split('\t');
            return { id, label: sub === '-' ? intent : `${intent}/${sub}`, text: text.join('\t') };
        });
}
