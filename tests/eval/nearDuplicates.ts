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

/** Every pair of same-label lines above the threshold, in file order. */
export function findNearDuplicates(lines: Labelled[], threshold = NEAR_DUPLICATE_OVERLAP): NearDuplicate[] {
    const grams = lines.map((line) => trigrams(line.text));
    const found: NearDuplicate[] = [];
    for (let i = 0; i < lines.length; i++) {
        for (let j = i + 1; j < lines.length; j++) {
            if (lines[i]!.label !== lines[j]!.label) continue;
            const value = overlap(grams[i]!, grams[j]!);
            if (value > threshold) found.push({ a: lines[i]!.id, b: lines[j]!.id, overlap: value });
        }
    }
    return found;
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
