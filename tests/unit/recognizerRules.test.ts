import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeatureExtractor } from '../../bot/nlu/FeatureExtractor';
import { Lexicon } from '../../bot/nlu/Lexicon';
import { NluRecognizer } from '../../bot/nlu/NluRecognizer';
import { SoftmaxClassifier } from '../../bot/nlu/SoftmaxClassifier';
import { KNOWLEDGE_DIR, tokenizer } from '../helpers/knowledge';

// The recogniser's rules on top of the classifier, apart from any trained model: a classifier that knows no features
// and guesses by its priors alone (`probabilities`), so the rule is what decides.
function recognizerGuessing(probabilities: Record<string, number>): NluRecognizer {
    const labels = Object.keys(probabilities);
    const classifier = SoftmaxClassifier.fromJSON({ labels, features: [], weights: '', bias: labels.map((l) => Math.log(probabilities[l]!)) });
    return new NluRecognizer(classifier, new FeatureExtractor(tokenizer()), Lexicon.fromFile(join(KNOWLEDGE_DIR, 'lexicons.json')));
}

describe('an emergency guessed by the classifier alone', () => {
    it('is not trusted below the minimum confidence (a bare place answering a question)', () => {
        const u = recognizerGuessing({ emergency: 0.24, repair: 0.2, 'complaint/service': 0.2, faq: 0.18, out_of_scope: 0.18 }).recognize('3号楼后面');
        expect(u).toMatchObject({ intent: 'out_of_scope', escalationReason: null });
    });

    it('still counts when the classifier is sure of it', () => {
        const u = recognizerGuessing({ emergency: 0.6, repair: 0.2, faq: 0.2 }).recognize('3号楼后面');
        expect(u).toMatchObject({ intent: 'emergency', escalationReason: 'emergency' });
    });

    it('gives way to nothing when the lexicon names the danger', () => {
        const u = recognizerGuessing({ repair: 0.5, faq: 0.3, emergency: 0.2 }).recognize('3号楼后面着火了');
        expect(u).toMatchObject({ intent: 'emergency', escalationReason: 'emergency' });
    });
});

describe('a quoted ticket number', () => {
    it('makes a weak reading a status question', () => {
        const u = recognizerGuessing({ out_of_scope: 0.4, faq: 0.3, ticket_status: 0.3 }).recognize('ts202611200012 咋样了');
        expect(u).toMatchObject({ intent: 'ticket_status', sub: null, escalationReason: null });
    });

    it('leaves a complaint a complaint', () => {
        const u = recognizerGuessing({ 'complaint/service': 0.6, ticket_status: 0.4 }).recognize('TS-20261120-0012 拖了半个月，我要投诉');
        expect(u).toMatchObject({ intent: 'complaint', sub: 'service' });
    });
});

describe('a message saying the last answer did not help', () => {
    const weakComplaint = { 'complaint/service': 0.3, repair: 0.25, faq: 0.25, out_of_scope: 0.2 };

    it('is that feedback, not a new complaint, when the classifier guesses weakly', () => {
        expect(recognizerGuessing(weakComplaint).recognize('没用，等于没说')).toMatchObject({ intent: 'out_of_scope', unhelpful: true });
    });

    it('leaves the same weak guess alone when the message is not feedback', () => {
        expect(recognizerGuessing(weakComplaint).recognize('保安又睡着了')).toMatchObject({ intent: 'complaint', sub: 'service' });
    });

    it('keeps a confident reading (the feedback comes with a topic of its own)', () => {
        const u = recognizerGuessing({ 'complaint/facility': 0.8, repair: 0.2 }).recognize('没用，电梯还是坏的');
        expect(u).toMatchObject({ intent: 'complaint', sub: 'facility', unhelpful: true });
    });
});
