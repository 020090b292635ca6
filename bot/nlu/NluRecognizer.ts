import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FEATURES_VERSION, FeatureExtractor } from './FeatureExtractor';
import { Lexicon } from './Lexicon';
import { Intents, type Emotion, type EscalationReason, type Intent, type SubLabel, type Understanding } from './NluResult';
import type { ReadingEvidence } from './ReadingEvidence';
import type { Recognizer } from './Recognizer';
import { BLEND_VERSION, BlendedIntentClassifier, type SerializedBlend } from './BlendedIntentClassifier';
import type { IntentClassifier } from './IntentClassifier';
import { TRAINING_VERSION } from './SoftmaxClassifier';
import { Tokenizer } from './Tokenizer';
import { loadTrainingUtterances, TRAINING_FILES } from './TrainingData';
import { normalizeText } from './normalizeText';

const FACILITY_CUES = /修|坏|漏|电梯|门禁|水管|积水|停水|停电|路灯|设施|设备/;
const FEE_CUES = /费|钱|收费|账单|价/;

/** Below this a request for a person that names no person-word is not taken as one. */
const WEAK_HANDOFF = 0.5;

/** Readings a property word never leads to by itself (it only keeps a message from out_of_scope). */
const NOT_FROM_PROPERTY_WORDS = new Set(['out_of_scope', 'emergency', 'human_agent']);

/**
 * One of Linli's own ticket numbers (TS-20261120-0012, as `Ticket.id`; owners drop the dashes or type it in lower
 * case): a message quoting one asks about that ticket, whatever else its few words look like.
 */
const TICKET_NUMBER = /ts-?\s*\d{8}-?\s*\d{4,}/i;

/** Readings a quoted ticket number does not turn into a status question: danger, a person, a new grievance. */
const KEPT_BESIDE_A_TICKET_NUMBER = new Set(['emergency', 'human_agent', 'complaint']);

/**
 * Below this the classifier's reading of danger is not taken when the lexicon finds no hazard word at all. Since the
 * danger data (484 sentences, many giving an address) was added, a bare "5栋" answering a flow's question read as an
 * emergency at 0.44–0.46. k-fold (seed 11) at 0.25 / 0.4 / 0.5 / 0.6: emergencies caught 99.8 / 99.4 / 99.1 / 98.0 %,
 * other sentences read as danger 0.6 / 0.6 / 0.4 / 0.2 %; 0.5 is the lowest that lets the address through.
 */
const DANGER_WITHOUT_HAZARD_WORDS = 0.5;

/** Below this the classifier's best guess is not trusted: the turn counts as not understood. */
const MIN_CONFIDENCE = 0.25;

/**
 * Below this, a message that says the last answer did not help ("没用，说了等于没说") is that feedback and nothing
 * more: a weak guess at a topic would start a flow (a complaint about nothing) instead of counting it as unhelpful.
 */
const WEAK_READING_OF_FEEDBACK = 0.5;

/**
 * Understanding of one owner message: a classifier trained by the build on the utterances in knowledge/nlu, with the
 * lexicons layered on top — recall first for emergencies, threats and abuse, whatever the classifier thinks.
 */
export class NluRecognizer implements Recognizer {
    constructor(
        private readonly classifier: IntentClassifier,
        private readonly features: FeatureExtractor,
        private readonly lexicon: Lexicon,
        /** The knowledge match and the estate's words, weighed with the classifier; none → the classifier and lexicons alone. */
        private readonly evidence?: ReadingEvidence,
    ) {}

    /**
     * The recogniser for a knowledge folder. A model trained by the build (`modelFile`) is used when it was trained on
     * exactly these utterances and dictionary; otherwise the model is trained here, at start-up (~0.3 s).
     */
    static fromKnowledge(
        knowledgeDir: string,
        tokenizer = new Tokenizer(join(knowledgeDir, 'nlu', 'domain-dict.txt')),
        modelFile?: string,
        evidence?: ReadingEvidence,
    ): NluRecognizer {
        const features = new FeatureExtractor(tokenizer);
        const lexicon = Lexicon.fromFile(join(knowledgeDir, 'lexicons.json'));
        const fingerprint = trainingFingerprint(knowledgeDir);
        if (modelFile && existsSync(modelFile)) {
            const stored = JSON.parse(readFileSync(modelFile, 'utf8')) as { fingerprint?: string; model: SerializedBlend };
            if (stored.fingerprint === fingerprint) return new NluRecognizer(BlendedIntentClassifier.fromJSON(stored.model), features, lexicon, evidence);
        }
        return new NluRecognizer(train(knowledgeDir, features), features, lexicon, evidence);
    }

    /** Trains on the knowledge folder and writes the model where `fromKnowledge` will find it (the build step). */
    static writeModel(knowledgeDir: string, modelFile: string, tokenizer = new Tokenizer(join(knowledgeDir, 'nlu', 'domain-dict.txt'))): void {
        const model = train(knowledgeDir, new FeatureExtractor(tokenizer));
        mkdirSync(dirname(modelFile), { recursive: true });
        writeFileSync(modelFile, JSON.stringify({ fingerprint: trainingFingerprint(knowledgeDir), model: model.toJSON() }));
    }

    recognize(text: string): Understanding {
        const prediction = this.classifier.predict(this.features.extract(text));
        const escalations = this.lexicon.escalations(text);
        const namesPerson = this.lexicon.hintsHandoff(text);
        let label = prediction.label;
        let confidence = prediction.probability;
        // Intents the words rule out; when the best guess is one of them, the best remaining guess is taken.
        const ruledOut = new Set<string>();
        // "再不修我就…" is learned from arrears threats ("…就不交了"); without any word of paying it is something else.
        // Arrears means not paying: a message that never touches money or paying is not arrears, however it is phrased.
        const namesPayment = this.lexicon.mentionsPayment(text);
        if (!namesPayment) ruledOut.add('fee_arrears');
        // A status question points back to a ticket or asks how it stands; a bare wish to complain or to report a repair
        // (帮我提交一个投诉, 能帮我报个修吗) shares its words but starts a new one.
        if (!this.lexicon.mentionsStatus(text)) ruledOut.add('ticket_status');
        // Nor is a complaint that says the fee has been paid (我们交了物业费, 按时交着) and withholds nothing.
        if (this.lexicon.saysPaidOnly(text)) ruledOut.add('fee_arrears');
        // Handing an owner to a person on a hunch ("会把我的手机号给别人吗" is a privacy question) needs some evidence:
        // a word asking for one, or a confident classifier.
        if (confidence < WEAK_HANDOFF && !escalations.includes('requested') && !namesPerson) ruledOut.add('human_agent');
        // A hazard word said of another time (万一着火, 欠费会停电吗, 上周被偷) is no emergency: the classifier learned
        // those words from emergencies, so its guess of one is not taken either.
        const hazard = escalations.includes('emergency') ? { now: true, notNow: false } : this.lexicon.hazard(text);
        if (hazard.notNow) ruledOut.add('emergency');
        // Danger read by the classifier alone, with no hazard word at all, must be a sure reading: a bare "5栋" answering
        // a flow's question shares its building words with the many emergencies that give an address.
        const unsureDanger = !hazard.now && intentOf(label) === 'emergency' && confidence < DANGER_WITHOUT_HAZARD_WORDS;
        if (unsureDanger) ruledOut.add('emergency');
        if (ruledOut.has(intentOf(label))) {
            const next = prediction.ranked.find((r) => !ruledOut.has(intentOf(r.label)));
            // When the words say the ruled-out readings cannot be meant (no word of paying, of a person, of an earlier
            // ticket), the next one's confidence is its share of what is left. Not when the best guess was danger the
            // classifier was unsure of (a bare place answering a question is not understood at all), and not for danger
            // without a hazard word reached this way: those keep their own weight, and the minimum confidence decides.
            if (next) {
                const left = prediction.ranked.filter((r) => !ruledOut.has(intentOf(r.label))).reduce((sum, r) => sum + r.probability, 0);
                const byWords = !unsureDanger && left > 0 && !(intentOf(next.label) === 'emergency' && !hazard.now);
                label = next.label;
                confidence = byWords ? next.probability / left : next.probability;
            }
        }
        let secondGuess = label !== prediction.label;
        let clarify: [string, string] | null = null;
        if (this.evidence && escalations.length === 0) {
            const weighed = this.weigh(text, label, confidence, prediction.ranked, ruledOut);
            secondGuess ||= weighed.label !== label;
            ({ label, confidence, clarify } = weighed);
        }
        // Arrears worded as a grumble or a question: the classifier reads a hardship story (病了…物业费能晚点交吗) as a
        // complaint or the policy question, and a refusal (这钱我不给) as a complaint; the words decide (lexicons.json
        // arrearsReading says which words and over which readings). Not beside a threat or a hazard: those have their paths.
        const arrears = escalations.length === 0 && namesPayment ? this.lexicon.arrearsOver(text, intentOf(label), this.evidence?.asks(text) ?? true) : null;
        if (arrears) {
            const refused = prediction.ranked.find((r) => intentOf(r.label) === 'fee_arrears' && r.label !== 'fee_arrears/hardship');
            label = arrears === 'hardship' ? 'fee_arrears/hardship' : (refused?.label ?? 'fee_arrears/service_dissatisfaction');
            confidence = Math.max(confidence, MIN_CONFIDENCE);
            clarify = null;
        }
        if (escalations.length === 0 && !KEPT_BESIDE_A_TICKET_NUMBER.has(intentOf(label)) && TICKET_NUMBER.test(text)) {
            label = 'ticket_status';
            confidence = Math.max(confidence, 0.9);
            clarify = null;
        }
        let [intent, sub] = split(label);
        let reason: EscalationReason | null = null;

        // The lexicon finds danger recall first; the classifier's guess of an emergency counts only when it is trusted at
        // all (a bare "3号楼后面" answering a flow's question must not hand the owner over with safety orders).
        const selfHarm = escalations.includes('safety') && this.lexicon.speaksOfSelfHarm(text);
        if (escalations.includes('emergency') || (!selfHarm && intent === 'emergency' && confidence >= MIN_CONFIDENCE)) {
            intent = 'emergency';
            sub = null;
            reason = 'emergency';
            confidence = Math.max(confidence, escalations.includes('emergency') ? 0.9 : confidence);
        } else if (selfHarm) {
            // The owner is the one in danger: an emergency on the safety path (care first, then a person), not a complaint.
            intent = 'emergency';
            sub = null;
            reason = 'safety';
            confidence = Math.max(confidence, 0.9);
        } else if (escalations.includes('requested') || (intent === 'human_agent' && namesPerson)) {
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
            // A second guess (the first was ruled out above) says as little about the topic as the threat itself.
            if ((intent !== 'complaint' && intent !== 'fee_arrears') || secondGuess) {
                // A threat or insult is a complaint whatever else the words look like. Such messages say little about
                // the topic, so the category comes from plain cues: something unrepaired, money, else the service.
                sub = intent === 'repair' || FACILITY_CUES.test(text) ? 'facility' : FEE_CUES.test(text) ? 'fee' : 'service';
                intent = 'complaint';
            } else if (intent === 'complaint' && sub === 'facility' && !FACILITY_CUES.test(text)) {
                // A bare threat (再这样我就打市长热线) names no broken thing: it is about how the estate is run.
                sub = 'service';
            }
            confidence = Math.max(confidence, 0.8);
        }
        // A fault told as neglected or recurring is a complaint about the facility, not a new repair: the classifier
        // learned both from the same objects, the words say which (lexicons.json, grievance).
        const torn = clarify !== null && clarify.includes('repair') && clarify.includes('complaint');
        if ((intent === 'repair' || (torn && intent === 'complaint')) && !reason && this.lexicon.tellsGrievance(text)) {
            intent = 'complaint';
            sub = sub ?? 'facility';
            clarify = null;
        } else if (torn && intent === 'complaint' && sub === 'facility' && !reason && this.lexicon.hits('angry', text) === 0) {
            // Leaning to a complaint but close to a repair, with no word of grievance or anger: the lean came from the object
            // (the same lifts and lights are on both sides), and a fault plainly told is a repair (the grid's line).
            // Leaning to a repair while close, Linli still asks: the owner may mean the slowness.
            intent = 'repair';
            sub = null;
            clarify = null;
        }
        if (intent === 'fee_arrears') sub = this.lexicon.arrearsCause(text) ?? sub;
        // The object of the complaint decides its department, not the fee named in anger.
        if (intent === 'complaint' && sub === 'fee') sub = this.lexicon.complaintObject(text) ?? sub;
        const unhelpful = this.lexicon.saysUnhelpful(text);
        if (!reason && (confidence < MIN_CONFIDENCE || (unhelpful && confidence < WEAK_READING_OF_FEEDBACK))) {
            intent = 'out_of_scope';
            sub = null;
        }
        // A few words of thanks or hello the classifier was unsure of (3q, 88, 哈罗) are that courtesy, not a request
        // outside the estate: the lexicon's social words decide, only for messages this short.
        const courtesy = !reason && !unhelpful && intent === 'out_of_scope' ? this.lexicon.courtesy(text) : null;
        if (courtesy) {
            intent = courtesy;
            sub = null;
            confidence = Math.max(confidence, MIN_CONFIDENCE);
        }
        return {
            intent,
            sub,
            confidence,
            persona: this.lexicon.persona(text),
            emotion: this.emotion(text, escalations, intent),
            escalationReason: reason,
            signals: escalations,
            unhelpful,
            clarify: clarify && !reason && intent !== 'out_of_scope' ? clarify : null,
        };
    }

    /**
     * The classifier's reading weighed with the other signals: a strong knowledge match makes it faq; a word of the
     * estate keeps it from out_of_scope; two close readings that lead to different flows are to be asked about.
     */
    private weigh(
        text: string,
        label: string,
        confidence: number,
        ranked: { label: string; probability: number }[],
        ruledOut: Set<string>,
    ): { label: string; confidence: number; clarify: [string, string] | null } {
        const evidence = this.evidence!;
        const byIntent = new Map<string, number>();
        for (const r of ranked) if (!ruledOut.has(intentOf(r.label))) byIntent.set(intentOf(r.label), (byIntent.get(intentOf(r.label)) ?? 0) + r.probability);
        const intent = intentOf(label);
        // The owner answered Linli's question with a button: that reading, with the best sub-label for it, and no question.
        const chosen = evidence.chosen(text);
        const pick = chosen ? ranked.find((r) => intentOf(r.label) === chosen) : undefined;
        if (pick) return { label: pick.label, confidence: Math.max(pick.probability, MIN_CONFIDENCE), clarify: null };
        const faq = byIntent.get('faq') ?? 0;
        if (intent !== 'faq' && this.lexicon.hits('angry', text) === 0 && evidence.knowledgeAnswers(text, Intents.parse(intent), faq)) {
            return { label: 'faq', confidence: Math.max(faq, confidence), clarify: null };
        }
        if ((intent === 'out_of_scope' || confidence < MIN_CONFIDENCE) && !this.lexicon.saysUnhelpful(text) && evidence.namesProperty(text)) {
            // Never danger or a person on this evidence alone: a bare place ("3号楼后面") answering a flow's question
            // names the estate too, and the lexicon and the classifier's own confidence decide those.
            const next = ranked.find((r) => !NOT_FROM_PROPERTY_WORDS.has(intentOf(r.label)) && !ruledOut.has(intentOf(r.label)));
            if (next && next.probability >= evidence.minAlternative) return { label: next.label, confidence: Math.max(next.probability, MIN_CONFIDENCE), clarify: null };
        }
        // Each intent with its likeliest full label, so readings whose replies say the same need no question.
        const labelOf = (i: string) => ranked.find((r) => intentOf(r.label) === i)?.label ?? i;
        const intents = [...byIntent.entries()].sort((a, b) => b[1] - a[1]).map(([i, p]) => ({ intent: i, probability: p, label: labelOf(i) }));
        const best = intents.find((r) => r.intent === intent) ?? { intent, probability: confidence, label };
        const second = intents.find((r) => r.intent !== intent);
        return { label, confidence, clarify: evidence.clarifies(best, second) };
    }

    private emotion(text: string, escalations: EscalationReason[], intent: Intent): Emotion {
        if (escalations.includes('abuse') || this.lexicon.hits('angry', text) > 0 || /[!！]{2,}/.test(text)) return 'angry';
        if (escalations.includes('legal_threat') || escalations.includes('safety') || this.lexicon.hits('upset', text) > 0) return 'upset';
        return intent === 'complaint' || intent === 'emergency' ? 'upset' : 'calm';
    }
}

function train(knowledgeDir: string, features: FeatureExtractor): BlendedIntentClassifier {
    // Normalised as owners' messages are before they are read, so a Traditional sentence teaches what it will meet.
    const examples = loadTrainingUtterances(knowledgeDir).map((u) => ({ label: u.label, features: features.extract(normalizeText(u.text)) }));
    return BlendedIntentClassifier.train(examples);
}

/** What the model depends on: the utterance files, the dictionary, the feature code's version, training's and the blend's. */
function trainingFingerprint(knowledgeDir: string): string {
    const hash = createHash('sha256').update(FEATURES_VERSION).update(TRAINING_VERSION).update(BLEND_VERSION);
    for (const file of TRAINING_FILES) hash.update(readFileSync(join(knowledgeDir, 'nlu', file)));
    return hash.digest('hex');
}

function split(label: string): [Intent, SubLabel | null] {
    const [intent, sub] = label.split('/');
    return [Intents.parse(intent), sub ? (sub as SubLabel) : null];
}

function intentOf(label: string): string {
    return label.split('/')[0] ?? label;
}
