import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import MiniSearch, { type SearchOptions } from 'minisearch';
import { join } from 'node:path';
import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import type { Tokenizer } from '../nlu/Tokenizer';
import type { KnowledgeEntry } from './KnowledgeBase';

/** knowledge/nlu/synonyms.json: owners' words for an entry's subject, each group with the term the entries use. */
export const SynonymsFile = z.object({
    reason: z.string().min(1),
    groups: z.array(z.object({ term: z.string().min(1), variants: z.array(z.string().min(1)).min(1) })).min(1),
});
export type SynonymGroup = z.infer<typeof SynonymsFile>['groups'][number];

/** Calibrated on the training utterances: FAQ questions score above ~37 (5th percentile), chit-chat below ~35. */
const MIN_SCORE = 30;

export interface KnowledgeHitMetadata {
    id: string;
    score: number;
    matched: string;
}

interface IndexedQuestion {
    id: number;
    entryId: string;
    text: string;
    answer: string;
}

/** Function words that say nothing about the topic; matching on them is what makes a weak match look strong. */
export const STOPWORDS = new Set(
    '吗 呢 吧 啊 呀 哦 嘛 的 地 得 了 着 过 是 不是 我 我们 我家 你 你们 您 他 她 它 这 那 这个 那个 这些 那些 有 没有 没 要 想 会 能 能不能 可以 可不可以 怎么 怎样 怎么办 如何 什么 哪 哪里 哪儿 多少 几 吗 请问 一下 一个 还 也 都 就 和 跟 与 或 或者 在 去 来 给 让 被 把 对 为什么 为啥 啥 咋 呗 嗯 请 麻烦 帮 帮我 问 问问'.split(' '),
);

export interface KnowledgeRetrieverInput extends BaseRetrieverInput {
    entries: KnowledgeEntry[];
    tokenizer: Tokenizer;
    /** Below this BM25 score a match is too weak to quote. */
    minScore: number;
    k?: number;
    /** Owners' words for an entry's subject (query expansion); none by default. */
    synonyms?: SynonymGroup[];
}

/**
 * BM25 (minisearch) over jieba search-mode tokens of every question variant; one document per knowledge entry, scored
 * by its best-matching variant. Matches under `minScore` are dropped, so a weak match is never quoted.
 */
export class KnowledgeRetriever extends BaseRetriever<KnowledgeHitMetadata> {
    static override lc_name(): string {
        return 'KnowledgeRetriever';
    }

    override lc_namespace = ['linli', 'retrievers'];
    private readonly index: MiniSearch<IndexedQuestion>;
    private readonly tokenizer: Tokenizer;
    private readonly entries: Map<string, KnowledgeEntry>;
    private readonly minScore: number;
    private readonly k: number;
    private readonly synonyms: { term: string; variants: string[] }[];
    private last: { query: string; hits: Document<KnowledgeHitMetadata>[] } | undefined;

    /** The retriever for a knowledge folder: its entries' questions, the synonyms file and the calibrated minimum. */
    static forKnowledge(knowledgeDir: string, entries: KnowledgeEntry[], tokenizer: Tokenizer): KnowledgeRetriever {
        const synonyms = loadDataFile(join(knowledgeDir, 'nlu', 'synonyms.json'), SynonymsFile).groups;
        return new KnowledgeRetriever({ entries, tokenizer, minScore: MIN_SCORE, synonyms });
    }

    constructor(input: KnowledgeRetrieverInput) {
        super(input);
        const { tokenizer } = input;
        this.tokenizer = tokenizer;
        this.synonyms = (input.synonyms ?? []).map((g) => ({ term: g.term, variants: g.variants.map((v) => v.toLowerCase()) }));
        this.minScore = input.minScore;
        this.k = input.k ?? 3;
        this.entries = new Map(input.entries.map((e) => [e.id, e]));
        this.index = new MiniSearch<IndexedQuestion>({
            fields: ['text', 'answer'],
            storeFields: ['entryId', 'text'],
            tokenize: (text) => tokenizer.searchTerms(text, STOPWORDS),
            processTerm: (term) => term,
            // The questions say what an entry is about; its answer only widens the vocabulary a little.
            searchOptions: { boost: { text: 2, answer: 0.5 } },
        });
        let id = 0;
        this.index.addAll(
            input.entries.flatMap((entry) => entry.questions.map((text) => ({ id: id++, entryId: entry.id, text, answer: entry.answers.default }))),
        );
    }

    /** The synchronous core, also used on the turn's hot path without the Runnable machinery. */
    search(query: string): Document<KnowledgeHitMetadata>[] {
        // Understanding weighs the match of a message and the answer then looks the same message up: searched once.
        if (this.last?.query === query) return this.last.hits;
        const hits = this.searchUncached(query);
        this.last = { query, hits };
        return hits;
    }

    /**
     * The entry nearest to `query` even when too weak to quote, down to `floor` (the monthly review files the messages
     * Linli could not answer under the entry they came closest to); null when nothing comes that close.
     */
    nearest(query: string, floor: number): KnowledgeHitMetadata | null {
        return this.searchUncached(query, floor)[0]?.metadata ?? null;
    }

    private searchUncached(query: string, floor = this.minScore): Document<KnowledgeHitMetadata>[] {
        const best = new Map<string, { score: number; matched: string }>();
        // A word often comes twice (jieba's word and the same two characters as a pair). Each distinct term is looked
        // up once, boosted by how often it came: the same score as scoring every copy, for about a third less work.
        const counts = new Map<string, number>();
        for (const term of this.tokenizer.searchTerms(query, STOPWORDS)) counts.set(term, (counts.get(term) ?? 0) + 1);
        // An owner's word for an entry's subject also searches the entry's own term (once, however many variants).
        const lower = query.toLowerCase();
        for (const group of this.synonyms) {
            if (!group.variants.some((v) => lower.includes(v))) continue;
            for (const term of this.tokenizer.searchTerms(group.term, STOPWORDS)) counts.set(term, Math.max(counts.get(term) ?? 0, 1));
        }
        const terms = [...counts.keys()];
        const options: SearchOptions = { combineWith: 'OR', tokenize: () => terms, boostTerm: (term: string) => counts.get(term) ?? 1 };
        for (const hit of this.index.search(query, options)) {
            const entryId = hit.entryId as string;
            if (hit.score < floor) continue;
            const current = best.get(entryId);
            if (!current || hit.score > current.score) best.set(entryId, { score: hit.score, matched: hit.text as string });
        }
        return [...best.entries()]
            .sort((a, b) => b[1].score - a[1].score)
            .slice(0, this.k)
            .map(
                ([id, { score, matched }]) =>
                    new Document<KnowledgeHitMetadata>({ pageContent: this.entries.get(id)?.answers.default ?? '', metadata: { id, score, matched } }),
            );
    }

    override async _getRelevantDocuments(query: string): Promise<Document<KnowledgeHitMetadata>[]> {
        return this.search(query);
    }
}
