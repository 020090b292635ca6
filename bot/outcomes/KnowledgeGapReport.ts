import { z } from 'zod';
import type { KnowledgeService } from '../knowledge/KnowledgeService';
import { STOPWORDS } from '../knowledge/KnowledgeRetriever';
import type { Tokenizer } from '../nlu/Tokenizer';
import type { GapKind, KnowledgeGap } from './Outcome';

/** knowledge/knowledge-gaps.json: how near is near enough to an entry, and the words that name no subject. */
export const KnowledgeGapsFile = z.object({
    reason: z.string().min(1),
    nearestFloor: z.number().min(0),
    stopwords: z.array(z.string().min(1)),
});
export type KnowledgeGapSettings = z.infer<typeof KnowledgeGapsFile>;
/** Examples shown per group: enough to see what owners ask without reading them all. */
const EXAMPLES = 3;
const TOP_TERMS = 5;

export interface GapGroup {
    /** The nearest knowledge entry, or null when none came near (then the group is the messages' shared word). */
    entryId: string | null;
    /** The entry's first question, as a name staff recognise. */
    entryTitle: string | null;
    /** For messages near no entry: the word they share. */
    term: string | null;
    count: number;
    byKind: Record<GapKind, number>;
    terms: { term: string; count: number }[];
    /** Masked as stored (bot/pii.ts). */
    examples: string[];
}

export interface GapSummary {
    total: number;
    byKind: Record<GapKind, number>;
    groups: GapGroup[];
}

/**
 * The messages Linli could not answer in a month, grouped for the review of the knowledge: under the entry each came
 * nearest to, or else by its most common word (jieba), with counts, top terms and a few examples.
 */
export class KnowledgeGapReport {
    private readonly stopwords: ReadonlySet<string>;

    constructor(
        private readonly knowledge: KnowledgeService,
        private readonly tokenizer: Tokenizer,
        private readonly settings: KnowledgeGapSettings,
    ) {
        this.stopwords = new Set([...STOPWORDS, ...settings.stopwords]);
    }

    summarise(gaps: KnowledgeGap[]): GapSummary {
        const read = gaps.map((gap) => ({ gap, near: this.knowledge.nearest(gap.text, this.settings.nearestFloor), terms: this.terms(gap.text) }));
        // Words across the messages near no entry: each such message is filed under its most common one.
        const looseCounts = new Map<string, number>();
        for (const r of read) if (!r.near) for (const t of new Set(r.terms)) looseCounts.set(t, (looseCounts.get(t) ?? 0) + 1);
        const groups = new Map<string, { entryId: string | null; entryTitle: string | null; term: string | null; members: typeof read }>();
        for (const r of read) {
            const term = r.near ? null : ([...new Set(r.terms)].sort((a, b) => (looseCounts.get(b) ?? 0) - (looseCounts.get(a) ?? 0) || a.localeCompare(b))[0] ?? null);
            const key = r.near ? `entry:${r.near.entry.id}` : `term:${term ?? ''}`;
            const group = groups.get(key) ?? { entryId: r.near?.entry.id ?? null, entryTitle: r.near?.entry.questions[0] ?? null, term, members: [] };
            group.members.push(r);
            groups.set(key, group);
        }
        const summary: GapGroup[] = [...groups.values()].map(({ members, ...group }) => {
            const termCounts = new Map<string, number>();
            for (const m of members) for (const t of new Set(m.terms)) termCounts.set(t, (termCounts.get(t) ?? 0) + 1);
            return {
                ...group,
                count: members.length,
                byKind: countKinds(members.map((m) => m.gap)),
                terms: [...termCounts.entries()]
                    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
                    .slice(0, TOP_TERMS)
                    .map(([term, count]) => ({ term, count })),
                examples: [...new Set(members.map((m) => m.gap.text))].slice(0, EXAMPLES),
            };
        });
        // Most asked first; a group near an entry before loose words when equal (an answer to widen is quicker work).
        summary.sort((a, b) => b.count - a.count || Number(a.entryId === null) - Number(b.entryId === null) || (a.entryId ?? a.term ?? '').localeCompare(b.entryId ?? b.term ?? ''));
        return { total: gaps.length, byKind: countKinds(gaps), groups: summary };
    }

    /**
     * Content words of a message, a long word with the parts it starts or ends with (股市行情 → 股市行情, 股市, 行情: two
     * messages about 股市 share it; a part from its middle, 市行, says nothing): no stopwords, no single characters, no
     * digits or masks.
     */
    private terms(text: string): string[] {
        const words = this.tokenizer.words(text).flatMap((w) =>
            [...w].length > 2 ? [w, ...this.tokenizer.searchWords(w).filter((p) => p !== w && (w.startsWith(p) || w.endsWith(p)))] : [w],
        );
        return words.filter((w) => [...w].length >= 2 && !this.stopwords.has(w) && !/^[\d*＊]+$/.test(w));
    }
}

function countKinds(gaps: KnowledgeGap[]): Record<GapKind, number> {
    const counts: Record<GapKind, number> = { unsure: 0, out_of_scope: 0 };
    for (const g of gaps) counts[g.kind] += 1;
    return counts;
}
