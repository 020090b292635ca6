import { join } from 'node:path';
import { loadDataFile } from '../../bot/dataFile';
import { FeatureExtractor } from '../../bot/nlu/FeatureExtractor';
import { Lexicon } from '../../bot/nlu/Lexicon';
import { NluRecognizer } from '../../bot/nlu/NluRecognizer';
import { EvidenceFile, ReadingEvidence } from '../../bot/nlu/ReadingEvidence';
import { SoftmaxClassifier } from '../../bot/nlu/SoftmaxClassifier';
import { KNOWLEDGE_DIR, tokenizer } from './knowledge';

/**
 * The recogniser's rules apart from any trained model: a classifier that knows no features and guesses every message
 * by these probabilities alone, so the rule under test is what decides.
 */
export function guessingClassifier(probabilities: Record<string, number>): SoftmaxClassifier {
    const labels = Object.keys(probabilities);
    return SoftmaxClassifier.fromJSON({ labels, features: [], weights: '', bias: labels.map((l) => Math.log(probabilities[l]!)) });
}

/** The knowledge folder's evidence (knowledge/nlu/evidence.json), with a knowledge match of a fixed score. */
export function fixedEvidence(knowledgeScore = 0): ReadingEvidence {
    return new ReadingEvidence(loadDataFile(join(KNOWLEDGE_DIR, 'nlu', 'evidence.json'), EvidenceFile), () => knowledgeScore);
}

/** A recogniser over the real lexicons and a guessing classifier; with `evidence`, the other signals weigh in too. */
export function recognizerGuessing(probabilities: Record<string, number>, evidence?: ReadingEvidence): NluRecognizer {
    return new NluRecognizer(guessingClassifier(probabilities), new FeatureExtractor(tokenizer()), Lexicon.fromFile(join(KNOWLEDGE_DIR, 'lexicons.json')), evidence);
}
