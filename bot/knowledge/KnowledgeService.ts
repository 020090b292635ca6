import type { Persona } from '../nlu/NluResult';
import type { Phrasebook } from '../Phrasebook';
import type { KnowledgeBase, KnowledgeEntry } from './KnowledgeBase';
import type { KnowledgeRetriever } from './KnowledgeRetriever';

export interface KnowledgeHit {
    entry: KnowledgeEntry;
    score: number;
    /** Found among the entries the previous answer named: a follow-up to it, whatever the classifier read. */
    followUp?: boolean;
}

export interface RenderedAnswer {
    text: string;
    /** The statutes this answer quoted in full ("《法》第…条"), for the conversation to remember. */
    quotedStatutes: string[];
    /** Follow-up questions to offer as buttons. */
    actions: string[];
}

/** Finds the entry that answers a question and words the answer, with its sources, for the owner's persona. */
export class KnowledgeService {
    constructor(
        private readonly base: KnowledgeBase,
        private readonly retriever: KnowledgeRetriever,
        /** How sources are introduced and quoted (answer_sources, statute_quote, policy_source). */
        private readonly phrasebook: Phrasebook,
    ) {}

    /**
     * The entry that answers `text`. After an answer (`previous`), an entry it names (`related`) that matches at all
     * comes first: "那个APP在哪下载" right after the payment answer is about that app.
     */
    lookup(text: string, previous: string | null = null): KnowledgeHit | null {
        const found = this.retriever.search(text);
        const related = previous ? this.base.get(previous)?.related : undefined;
        const followUp = related ? found.find((d) => related.includes(d.metadata.id)) : undefined;
        const best = followUp ?? found[0];
        const entry = best ? this.base.get(best.metadata.id) : undefined;
        if (!entry || !best) return null;
        return followUp ? { entry, score: best.metadata.score, followUp: true } : { entry, score: best.metadata.score };
    }

    /** The entry a message came nearest to, however weakly (down to `floor`), for the review of unanswered messages. */
    nearest(text: string, floor: number): KnowledgeHit | null {
        const hit = this.retriever.nearest(text, floor);
        const entry = hit ? this.base.get(hit.id) : undefined;
        return hit && entry ? { entry, score: hit.score } : null;
    }

    /** An entry's answer in plainer words than the default one (the elderly wording for elderly owners, else the short one). */
    plainly(entryId: string, persona: Persona): string | null {
        const entry = this.base.get(entryId);
        return entry ? this.base.answer(entry, persona === 'elderly' ? 'elderly' : 'young') : null;
    }

    /**
     * Default owners get the article quoted verbatim; elderly owners the plain answer and just the name of the law
     * (one idea at a time); young owners the short answer, the source's name and buttons.
     */
    render(hit: KnowledgeHit, persona: Persona, quotedBefore: ReadonlySet<string> = new Set()): RenderedAnswer {
        const answer = this.base.answer(hit.entry, persona);
        const citations = this.base.citations(hit.entry);
        // A statute is quoted in full once per conversation; after that it is cited by name.
        const quoted = citations.flatMap((c) => (c.kind === 'statute' && c.text && !quotedBefore.has(c.label) ? [{ label: c.label, text: c.text }] : []));
        let sources: string;
        if (persona === 'default' && quoted.length > 0) {
            const cited = citations.filter((c) => c.kind !== 'statute' || quotedBefore.has(c.label));
            sources = [
                ...quoted.map((c) => this.phrasebook.say('statute_quote', persona, c)),
                ...cited.map((c) => (c.kind === 'statute' ? c.label : this.phrasebook.say('policy_source', persona, { name: c.name }))),
            ].join('\n');
        } else {
            sources = citations.map((c) => (c.kind === 'statute' ? c.label : this.phrasebook.say('policy_source', persona, { name: c.name }))).join('；');
        }
        return {
            quotedStatutes: persona === 'default' ? quoted.map((c) => c.label) : [],
            text: `${answer}\n\n${this.phrasebook.say('answer_sources', persona, { sources })}`,
            actions: persona === 'young' ? (hit.entry.actions ?? []) : [],
        };
    }
}
