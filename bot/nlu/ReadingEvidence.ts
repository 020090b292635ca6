import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import type { Intent } from './NluResult';

const IntentName = z.string().min(1);

/** Between a button's words and the owner's message it carries (full-width, as owners write; normalising makes it ':'). */
const CHOICE_SEPARATOR = '：';

/** knowledge/nlu/evidence.json: how the knowledge match and the property words weigh in, and when Linli asks. */
export const EvidenceFile = z.object({
    knowledge: z.object({
        score: z.number().positive(),
        minFaqProbability: z.number().min(0).max(1),
        over: z.array(IntentName),
        /** The message must ask something for the knowledge match to count (a grievance stated is a complaint). */
        questionCues: z.array(z.string().min(1)).min(1),
        reason: z.string().min(1),
    }),
    property: z.object({ words: z.array(z.string().min(1)).min(1), minAlternative: z.number().min(0).max(1), reason: z.string().min(1) }),
    clarify: z.object({
        maxMargin: z.number().min(0).max(1),
        minSecond: z.number().min(0).max(1),
        pairs: z.array(z.tuple([IntentName, IntentName])),
        /**
         * Labels (intent or intent/sub) whose replies say the same thing: a question between them would ask the owner
         * to choose between two ways of hearing one answer.
         */
        sameAnswer: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
        /** The button each reading offers: its label, and what it sends back before the owner's message. */
        options: z.record(IntentName, z.object({ label: z.string().min(1), says: z.string().min(1) })),
        reason: z.string().min(1),
    }),
});
export type EvidenceData = z.infer<typeof EvidenceFile>;

/**
 * The signals other than the classifier that a reading weighs: the knowledge retriever's own match (evidence for faq),
 * the estate's words (evidence against out_of_scope), and when two readings are too close to guess between.
 */
export class ReadingEvidence {
    private readonly pairs: Set<string>;
    private readonly sameAnswer: Set<string>;

    constructor(
        readonly data: EvidenceData,
        /** The knowledge retriever's best score for the text (0 when nothing matched). */
        private readonly knowledgeScore: (text: string) => number,
    ) {
        this.pairs = new Set(data.clarify.pairs.flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));
        this.sameAnswer = new Set(data.clarify.sameAnswer.flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));
        for (const [a, b] of data.clarify.pairs) {
            if (!data.clarify.options[a] || !data.clarify.options[b]) throw new Error(`evidence.json: clarify pair ${a}/${b} has no button for one of them`);
        }
    }

    static fromFile(file: string, knowledgeScore: (text: string) => number): ReadingEvidence {
        return new ReadingEvidence(loadDataFile(file, EvidenceFile), knowledgeScore);
    }

    /** The knowledge base answers this well enough to outweigh a reading of `intent` that gave faq `faqProbability`. */
    knowledgeAnswers(text: string, intent: Intent, faqProbability: number): boolean {
        const k = this.data.knowledge;
        return (
            k.over.includes(intent) &&
            faqProbability >= k.minFaqProbability &&
            this.asks(text) &&
            this.knowledgeScore(text) >= k.score
        );
    }

    /** The message asks something (one of the knowledge rule's question cues). */
    asks(text: string): boolean {
        return this.data.knowledge.questionCues.some((cue) => text.includes(cue));
    }

    namesProperty(text: string): boolean {
        return this.data.property.words.some((w) => text.includes(w));
    }

    get minAlternative(): number {
        return this.data.property.minAlternative;
    }

    /** The two readings to ask between, when the runner-up is this close and the pair leads to different flows. */
    clarifies(
        best: { intent: string; probability: number; label?: string },
        second: { intent: string; probability: number; label?: string } | undefined,
    ): [string, string] | null {
        const c = this.data.clarify;
        if (!second || second.probability < c.minSecond || best.probability - second.probability > c.maxMargin) return null;
        if (this.sameAnswer.has(`${best.label ?? best.intent}|${second.label ?? second.intent}`)) return null;
        return this.pairs.has(`${best.intent}|${second.intent}`) ? [best.intent, second.intent] : null;
    }

    /** The button for a reading: its label, and the message it sends (the choice, then the owner's own words). */
    button(intent: string, text: string): { title: string; value: string } | undefined {
        const option = this.data.clarify.options[intent];
        return option ? { title: option.label, value: `${option.says}${CHOICE_SEPARATOR}${text}` } : undefined;
    }

    /** The reading an owner chose with a button (a message starting with its words and the separator), if any. */
    chosen(text: string): string | null {
        for (const [intent, option] of Object.entries(this.data.clarify.options)) {
            if (text.startsWith(`${option.says}${CHOICE_SEPARATOR}`) || text.startsWith(`${option.says}:`)) return intent;
        }
        return null;
    }
}
