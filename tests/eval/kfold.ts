import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FeatureExtractor } from '../../bot/nlu/FeatureExtractor';
import { Lexicon } from '../../bot/nlu/Lexicon';
import { KnowledgeBase } from '../../bot/knowledge/KnowledgeBase';
import { KnowledgeRetriever } from '../../bot/knowledge/KnowledgeRetriever';
import { NluRecognizer } from '../../bot/nlu/NluRecognizer';
import { ReadingEvidence } from '../../bot/nlu/ReadingEvidence';
import { normalizeText } from '../../bot/nlu/normalizeText';
import { BlendedIntentClassifier } from '../../bot/nlu/BlendedIntentClassifier';
import { Tokenizer } from '../../bot/nlu/Tokenizer';
import { loadTrainingUtterances } from '../../bot/nlu/TrainingData';
import { PROJECT_ROOT } from '../../bot/paths';
import { mulberry32, shuffle } from '../../bot/nlu/seededShuffle';

/**
 * `npm run kfold`: k-fold cross-validation of the intent model on its own training data (both utterance files).
 * Folds are stratified by grid row (the first hand-picked sentences, which have no row, by label), so every row is
 * in every fold's test part; the shuffle is seeded, so a run is repeatable. Each fold trains a model on the other
 * folds and reads its own sentences through the whole recogniser (lexicon rules included), as an owner's message
 * is read. Prints intent and sub-label accuracy per fold and their mean, the most frequent confusions and the grid
 * rows read worst.
 */
const { values } = parseArgs({
    options: {
        folds: { type: 'string', default: '5' },
        seed: { type: 'string', default: '11' },
        // How many confusions and weak rows to list.
        top: { type: 'string', default: '25' },
        // Prints every misread sentence with what the classifier alone guessed.
        misses: { type: 'boolean', default: false },
        // Reads with the classifier and lexicons alone, without the knowledge match and the estate's words.
        'no-evidence': { type: 'boolean', default: false },
    },
});
const FOLDS = Number(values.folds);
const TOP = Number(values.top);

const knowledgeDir = join(PROJECT_ROOT, 'knowledge');
const tokenizer = new Tokenizer(join(knowledgeDir, 'nlu', 'domain-dict.txt'));
const features = new FeatureExtractor(tokenizer);
// The knowledge entries are not training data: the retriever's match is an outside signal, as at run time.
const retriever = KnowledgeRetriever.forKnowledge(knowledgeDir, KnowledgeBase.fromDirectory(knowledgeDir).entries, tokenizer);
const evidence = values['no-evidence']
    ? undefined
    : ReadingEvidence.fromFile(join(knowledgeDir, 'nlu', 'evidence.json'), (text) => retriever.search(text)[0]?.metadata.score ?? 0);
let clarified = 0;
// Danger: an emergency's sentence read as a handoff for danger (emergency or safety), and any other read as an emergency.
const danger = { caught: 0, total: 0, falseAlarms: 0, calm: 0 };
const falseAlarms: string[] = [];
const lexicon = Lexicon.fromFile(join(knowledgeDir, 'lexicons.json'));
const utterances = loadTrainingUtterances(knowledgeDir).map((u) => {
    const text = normalizeText(u.text);
    return { ...u, text, stratum: u.row ?? u.label, features: features.extract(text) };
});

// Stratified assignment: each stratum is shuffled, then dealt round the folds starting where the last one stopped.
const random = mulberry32(Number(values.seed));
const fold = new Array<number>(utterances.length);
const strata = new Map<string, number[]>();
utterances.forEach((u, i) => strata.set(u.stratum, [...(strata.get(u.stratum) ?? []), i]));
let dealer = 0;
for (const members of [...strata.values()]) {
    shuffle(members, random);
    for (const i of members) fold[i] = dealer++ % FOLDS;
}

const confusions = new Map<string, number>();
// Misreads the classifier alone got right: the lexicon rules on top of it changed the reading.
const overridden = new Map<string, number>();
const byRow = new Map<string, { right: number; total: number }>();
// Intent read right, apart for each training file, so a run with a file added compares with one without it.
const bySource = new Map<string, { right: number; total: number }>();
const results: { intent: number; sub: number; subTotal: number; total: number }[] = [];
const started = performance.now();
for (let k = 0; k < FOLDS; k++) {
    const train = utterances.filter((_, i) => fold[i] !== k);
    const test = utterances.filter((_, i) => fold[i] === k);
    const classifier = BlendedIntentClassifier.train(train.map((u) => ({ label: u.label, features: u.features })));
    const recognizer = new NluRecognizer(classifier, features, lexicon, evidence);
    const result = { intent: 0, sub: 0, subTotal: 0, total: test.length };
    for (const u of test) {
        const read = recognizer.recognize(u.text);
        if (read.clarify) clarified++;
        const [intent, sub = null] = u.label.split('/');
        if (intent === 'emergency') {
            danger.total++;
            if (read.escalationReason === 'emergency' || read.escalationReason === 'safety') danger.caught++;
        } else {
            danger.calm++;
            if (read.escalationReason === 'emergency') {
                danger.falseAlarms++;
                falseAlarms.push(`${u.label} → emergency  ${u.text}`);
            }
        }
        const got = read.sub ? `${read.intent}/${read.sub}` : read.intent;
        if (read.intent === intent) result.intent++;
        const source = bySource.get(u.source) ?? { right: 0, total: 0 };
        bySource.set(u.source, source);
        source.total++;
        if (read.intent === intent) source.right++;
        if (sub) {
            result.subTotal++;
            if (read.sub === sub && read.intent === intent) result.sub++;
        }
        const row = byRow.get(u.stratum) ?? { right: 0, total: 0 };
        row.total++;
        if (got === u.label) row.right++;
        else {
            confusions.set(`${u.label} → ${got}`, (confusions.get(`${u.label} → ${got}`) ?? 0) + 1);
            const guess = classifier.predict(u.features).label;
            if (guess === u.label) {
                const cause = overrideCause(read.signals, read.intent);
                overridden.set(cause, (overridden.get(cause) ?? 0) + 1);
            }
            if (values.misses) console.log(`  miss  ${u.label} → ${got}  (classifier: ${guess})  ${u.stratum}  ${u.text}`);
        }
        byRow.set(u.stratum, row);
    }
    results.push(result);
    console.log(`fold ${k + 1}: ${result.total} sentences  intent ${pct(result.intent, result.total)}  sub ${pct(result.sub, result.subTotal)}`);
}
const mean = (pick: (r: (typeof results)[number]) => number) => results.reduce((sum, r) => sum + pick(r), 0) / results.length;
console.log(
    `mean over ${FOLDS} folds (${utterances.length} sentences, ${strata.size} strata, seed ${values.seed}): ` +
        `intent ${(100 * mean((r) => r.intent / r.total)).toFixed(1)} %  sub ${(100 * mean((r) => (r.subTotal ? r.sub / r.subTotal : 1))).toFixed(1)} %  ` +
        `(${Math.round(performance.now() - started)} ms)`,
);
console.log(
    `  danger: emergencies caught ${pct(danger.caught, danger.total)} of ${danger.total}; ` +
        `other sentences read as an emergency ${pct(danger.falseAlarms, danger.calm)} (${danger.falseAlarms} of ${danger.calm})`,
);
if (values.misses) for (const line of falseAlarms) console.log(`    false alarm  ${line}`);
console.log(`  asked to clarify (intent counted as the most likely reading): ${pct(clarified, utterances.length)} of ${utterances.length}`);
for (const [source, r] of bySource) console.log(`  intent on ${source}: ${pct(r.right, r.total)} of ${r.total}`);
console.log(`\nconfusions (expected → read), most frequent first:`);
for (const [pair, count] of [...confusions].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${String(count).padStart(4)}  ${pair}`);
console.log(`\nmisreads the classifier alone had right, by the rule that changed them:`);
for (const [cause, count] of [...overridden].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${cause}`);
console.log(`\nrows read worst (label right / sentences):`);
const worst = [...byRow].filter(([, r]) => r.right < r.total).sort((a, b) => a[1].right / a[1].total - b[1].right / b[1].total).slice(0, TOP);
for (const [row, r] of worst) console.log(`  ${pct(r.right, r.total).padStart(6)}  ${r.right}/${r.total}  ${row}`);

/** Which of the recogniser's rules turned a right guess into a misreading. */
function overrideCause(signals: string[], intent: string): string {
    if (signals.includes('emergency')) return 'an emergency word (lexicon) made it an emergency';
    if (signals.includes('requested')) return 'a person-word (lexicon) made it human_agent';
    if (signals.some((s) => s === 'safety' || s === 'legal_threat' || s === 'abuse')) return 'a threat or insult word (lexicon) made it a complaint';
    if (intent === 'out_of_scope') return 'confidence below the minimum made it out_of_scope';
    return 'a rule-out (no payment word for arrears, no person-word for human_agent) or the arrears-cause lexicon';
}

function pct(part: number, whole: number): string {
    return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
}
