import { join } from 'node:path';
import { z } from 'zod';
import { DataFileError, loadDataFile } from '../dataFile';
import { fillLine } from '../Lines';
import type { Persona } from '../nlu/NluResult';

const StatuteSource = z.object({ law: z.string().min(1), article: z.string().regex(/^第[一二三四五六七八九十百零]+条$/) });
const PolicySource = z.object({ policy: z.string().min(1) });
export const Source = z.union([StatuteSource, PolicySource]);
export type Source = z.infer<typeof Source>;

export const KnowledgeEntry = z.object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    questions: z.array(z.string().min(2)).min(2),
    answers: z.object({ default: z.string().min(10), elderly: z.string().min(10), young: z.string().min(5) }),
    /** Follow-up questions offered as buttons (to young owners, who prefer a tap to typing). */
    actions: z.array(z.string().min(1)).optional(),
    /** Entries this answer names (the app, the service centre): a follow-up question is looked up among them first. */
    related: z.array(z.string().regex(/^[a-z0-9_]+$/)).optional(),
    sources: z.array(Source).min(1),
});
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

export const KnowledgeFile = z.object({ entries: z.array(KnowledgeEntry).min(1) });
export const StatutesFile = z.object({ laws: z.record(z.string(), z.record(z.string(), z.string().min(1))) });
export const EstateFile = z.object({
    name: z.string().min(1),
    hotline: z.string().min(3),
    serviceCentre: z.string().min(1),
    officeHours: z.string().min(1),
    /** The owners' app, by the name Linli's answers give it, and where to get it. */
    appName: z.string().min(1),
    appDownload: z.string().min(1),
    prepayDiscount: z.string().min(1),
    installmentPeriods: z.number().int().min(2).max(24),
});
export type Estate = z.infer<typeof EstateFile>;

/** A statute article (its text verbatim from the statute file) or a company policy, by name. */
export type Citation = { kind: 'statute'; label: string; text: string | undefined } | { kind: 'policy'; name: string };

/**
 * The answers Linli gives and the law and policy they rest on. Statute articles are resolved at start-up, so an entry
 * that cites an article we do not hold stops start-up rather than misquoting the law.
 */
export class KnowledgeBase {
    private readonly byId: Map<string, KnowledgeEntry>;

    constructor(
        readonly entries: KnowledgeEntry[],
        private readonly statutes: z.infer<typeof StatutesFile>['laws'],
        readonly estate: Estate,
        file = 'knowledge',
    ) {
        this.byId = new Map(entries.map((e) => [e.id, e]));
        if (this.byId.size !== entries.length) throw new DataFileError(file, new Error('duplicate entry id'));
        for (const entry of entries) {
            for (const source of entry.sources) {
                if ('law' in source && !this.statutes[source.law]?.[source.article]) {
                    throw new DataFileError(file, new Error(`entry ${entry.id}: no text for 《${source.law}》${source.article}`));
                }
            }
            for (const id of entry.related ?? []) {
                if (!this.byId.has(id)) throw new DataFileError(file, new Error(`entry ${entry.id}: related entry ${id} does not exist`));
            }
            for (const text of Object.values(entry.answers)) {
                for (const [, key] of text.matchAll(/\{(\w+)\}/g)) {
                    if (!(key! in estate)) throw new DataFileError(file, new Error(`entry ${entry.id}: unknown placeholder {${key}}`));
                }
            }
        }
    }

    static fromDirectory(dir: string): KnowledgeBase {
        const faq = loadDataFile(join(dir, 'faq.json'), KnowledgeFile);
        const statutes = loadDataFile(join(dir, 'statutes.json'), StatutesFile);
        const estate = loadDataFile(join(dir, 'estate.json'), EstateFile);
        return new KnowledgeBase(faq.entries, statutes.laws, estate, join(dir, 'faq.json'));
    }

    get(id: string): KnowledgeEntry | undefined {
        return this.byId.get(id);
    }

    /** The answer in the owner's register. */
    answer(entry: KnowledgeEntry, persona: Persona): string {
        // The estate's own figures ({hotline}, {installmentPeriods} …) filled in.
        return fillLine(entry.answers[persona], this.estate);
    }

    citations(entry: KnowledgeEntry): Citation[] {
        return entry.sources.map((source) =>
            'law' in source
                ? { kind: 'statute' as const, label: `《${source.law}》${source.article}`, text: this.statutes[source.law]?.[source.article] }
                : { kind: 'policy' as const, name: source.policy },
        );
    }
}
