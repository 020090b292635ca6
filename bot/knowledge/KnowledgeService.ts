import type { Persona } from '../nlu/NluResult';
import type { Phrasebook } from '../Phrasebook';
import type { KnowledgeBase, KnowledgeEntry } from './KnowledgeBase';
import type { KnowledgeRetriever } from './KnowledgeRetriever';

export interface KnowledgeHit {
    entry: KnowledgeEntry;
    score: number;
}

export interface RenderedAnswer {
    text: string;
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

    lookup(text: string): KnowledgeHit | null {
        const [best] = this.retriever.search(text);
        const entry = best ? this.base.get(best.metadata.id) : undefined;
        return entry && best ? { entry, score: best.metadata.score } : null;
    }

    /**
     * Default owners get the article quoted verbatim; elderly owners the plain answer and just the name of the law
     * (one idea at a time); young owners the short answer, the source's name and buttons.
     */
    render(hit: KnowledgeHit, persona: Persona): RenderedAnswer {
        const answer = this.base.answer(hit.entry, persona);
        const citations = this.base.citations(hit.entry);
        const quoted = citations.flatMap((c) => (c.kind === 'statute' && c.text ? [{ label: c.label, text: c.text }] : []));
        let sources: string;
        if (persona === 'default' && quoted.length > 0) {
            sources = quoted.map((c) => this.phrasebook.say('statute_quote', persona, c)).join('\n');
        } else {
            sources = citations.map((c) => (c.kind === 'statute' ? c.label : this.phrasebook.say('policy_source', persona, { name: c.name }))).join('；');
        }
        return {
            text: `${answer}\n\n${this.phrasebook.say('answer_sources', persona, { sources })}`,
            actions: persona === 'young' ? (hit.entry.actions ?? []) : [],
        };
    }
}
