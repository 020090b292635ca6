import { join } from 'node:path';
import { z } from 'zod';
import { loadDataFile } from '../Phrasebook';
import { FeatureExtractor } from './FeatureExtractor';
import { Lexicon } from './Lexicon';
import { ArrearsTypes, ComplaintCategories, Intents, type Emotion, type EscalationReason, type Intent, type SubLabel, type Understanding } from './NluResult';
import { detectPersona } from './PersonaDetector';
import type { Recognizer } from './Recognizer';
import { SoftmaxClassifier } from './SoftmaxClassifier';
import { Tokenizer } from './Tokenizer';

/** Labels are an intent, or an intent and its sub-label: `complaint/fee`, `fee_arrears/hardship`. */
const Label = z.string().refine((label) => {
    const [intent, sub] = label.split('/');
    if (!Intents.safeParse(intent).success) return false;
    if (sub === undefined) return intent !== 'complaint' && intent !== 'fee_arrears';
    if (intent === 'complaint') return ComplaintCategories.safeParse(sub).success;
    if (intent === 'fee_arrears') return ArrearsTypes.safeParse(sub).success;
    return false;
}, 'expected an intent, or complaint/<category>, or fee_arrears/<type>');

export const UtterancesFile = z.record(Label, z.array(z.string().min(1)).min(5));

/** Below this the classifier's best guess is not trusted: the turn counts as not understood. */
const MIN_CONFIDENCE = 0.25;

/**
 * Understanding of one owner message: a classifier trained at start-up on the utterances in knowledge/nlu, with the
 * lexicons layered on top — recall first for emergencies, threats and abuse, whatever the classifier thinks.
 */
export class NluRecognizer implements Recognizer {
    constructor(
        private readonly classifier: SoftmaxClassifier,
        private readonly features: FeatureExtractor,
        private readonly lexicon: Lexicon,
    ) {}

    static fromKnowledge(knowledgeDir: string, tokenizer = new Tokenizer(join(knowledgeDir, 'nlu', 'domain-dict.txt'))): NluRecognizer {
        const features = new FeatureExtractor(tokenizer);
        const utterances = loadDataFile(join(knowledgeDir, 'nlu', 'utterances.json'), UtterancesFile);
        const examples = Object.entries(utterances).flatMap(([label, texts]) => texts.map((text) => ({ label, features: features.extract(text) })));
        const lexicon = Lexicon.fromFile(join(knowledgeDir, 'lexicons.json'));
        return new NluRecognizer(new SoftmaxClassifier(examples), features, lexicon);
    }

    recognize(text: string): Understanding {
        const prediction = this.classifier.predict(this.features.extract(text));
        const escalations = this.lexicon.escalations(text);
        let [intent, sub] = split(prediction.label);
        let confidence = prediction.probability;
        let reason: EscalationReason | null = null;

        if (escalations.includes('emergency') || intent === 'emergency') {
            intent = 'emergency';
            sub = null;
            reason = 'emergency';
            confidence = Math.max(confidence, escalations.includes('emergency') ? 0.9 : confidence);
        } else if (escalations.includes('requested') || (intent === 'human_agent' && this.lexicon.hintsHandoff(text))) {
            intent = 'human_agent';
            sub = null;
            reason = 'requested';
            confidence = Math.max(confidence, 0.9);
        } else if (intent === 'human_agent') {
            reason = 'requested';
        }
        const threat = escalations.find((r) => r === 'safety' || r === 'legal_threat' || r === 'abuse');
        if (threat && intent !== 'emergency') {
            reason = threat;
            if (intent !== 'complaint' && intent !== 'fee_arrears') {
                // A threat or insult is a complaint whatever else the words look like: about something unrepaired
                // it concerns facilities; otherwise the likeliest category when the classifier has a view, else service.
                const best = prediction.ranked.find((r) => r.label.startsWith('complaint/'));
                sub = intent === 'repair' ? 'facility' : best && best.probability >= 0.15 ? split(best.label)[1] : 'service';
                intent = 'complaint';
            }
            confidence = Math.max(confidence, 0.8);
        }
        if (!reason && confidence < MIN_CONFIDENCE) {
            intent = 'out_of_scope';
            sub = null;
        }
        return {
            intent,
            sub,
            confidence,
            persona: detectPersona(text),
            emotion: this.emotion(text, escalations, intent),
            escalationReason: reason,
        };
    }

    private emotion(text: string, escalations: EscalationReason[], intent: Intent): Emotion {
        if (escalations.includes('abuse') || this.lexicon.hits('angry', text) > 0 || /[!！]{2,}/.test(text)) return 'angry';
        if (escalations.includes('legal_threat') || escalations.includes('safety') || this.lexicon.hits('upset', text) > 0) return 'upset';
        return intent === 'complaint' || intent === 'emergency' ? 'upset' : 'calm';
    }
}

function split(label: string): [Intent, SubLabel | null] {
    const [intent, sub] = label.split('/');
    return [Intents.parse(intent), sub ? (sub as SubLabel) : null];
}
