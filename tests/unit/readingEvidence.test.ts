import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataFile } from '../../bot/dataFile';
import type { NluRecognizer } from '../../bot/nlu/NluRecognizer';
import { EvidenceFile, ReadingEvidence } from '../../bot/nlu/ReadingEvidence';
import { fixedEvidence, recognizerGuessing } from '../helpers/guessingRecognizer';
import { KNOWLEDGE_DIR } from '../helpers/knowledge';

// The signals understanding weighs besides the classifier (knowledge/nlu/evidence.json), apart from any trained model:
// a classifier guessing by its priors alone, and a knowledge match of a fixed score, so the rule is what decides.
const data = loadDataFile(join(KNOWLEDGE_DIR, 'nlu', 'evidence.json'), EvidenceFile);

function reading(probabilities: Record<string, number>, knowledgeScore = 0, withEvidence = true): NluRecognizer {
    return recognizerGuessing(probabilities, withEvidence ? fixedEvidence(knowledgeScore) : undefined);
}

describe('a strong knowledge match is evidence for faq', () => {
    const grumble = { 'complaint/service': 0.55, faq: 0.3, repair: 0.15 };
    const strong = data.knowledge.score + 1;

    it('turns a question read as a complaint into faq', () => {
        expect(reading(grumble, strong).recognize('师傅让我把钱直接转给他，这样可以吗')).toMatchObject({ intent: 'faq', sub: null });
        expect(reading(grumble, strong, false).recognize('师傅让我把钱直接转给他，这样可以吗').intent).toBe('complaint');
    });

    it('not below the score, nor for a grievance stated without a question, nor in anger', () => {
        expect(reading(grumble, data.knowledge.score - 1).recognize('师傅让我把钱直接转给他，这样可以吗').intent).toBe('complaint');
        expect(reading(grumble, strong).recognize('师傅让我把钱直接转给他个人').intent).toBe('complaint');
        expect(reading(grumble, strong).recognize('凭什么师傅让我把钱直接转给他，这样可以吗').intent).toBe('complaint');
    });
});

describe('a word of the estate is evidence against out_of_scope', () => {
    const unsure = { out_of_scope: 0.5, repair: 0.3, faq: 0.2 };

    it('takes the best reading that is not out of scope', () => {
        expect(reading(unsure).recognize('小区东门那边')).toMatchObject({ intent: 'repair' });
        expect(reading(unsure, 0, false).recognize('小区东门那边').intent).toBe('out_of_scope');
    });

    it('never makes it an emergency or a request for a person (a bare place answering a question names the estate too)', () => {
        const u = reading({ out_of_scope: 0.3, emergency: 0.22, human_agent: 0.2, 'complaint/service': 0.15, repair: 0.13 }).recognize('5号楼门口');
        expect(u).toMatchObject({ intent: 'complaint', escalationReason: null });
    });

    it('leaves a message without one out of scope', () => {
        expect(reading(unsure).recognize('今天股票怎么样').intent).toBe('out_of_scope');
    });
});

describe('two readings too close to guess between', () => {
    it('are asked about, the trace keeping the most likely', () => {
        const u = reading({ repair: 0.4, 'complaint/facility': 0.35, faq: 0.25 }).recognize('车棚的门坏了');
        expect(u).toMatchObject({ intent: 'repair', clarify: ['repair', 'complaint'] });
        expect(reading({ repair: 0.4, 'complaint/facility': 0.35, faq: 0.25 }, 0, false).recognize('车棚的门坏了').clarify).toBeNull();
    });

    it('are not when one is clearly ahead, or for a pair that leads to the same answer', () => {
        expect(reading({ repair: 0.6, 'complaint/facility': 0.3, faq: 0.1 }).recognize('车棚的门坏了').clarify).toBeNull();
        expect(reading({ greeting: 0.4, thanks_bye: 0.35, faq: 0.25 }).recognize('好的').clarify).toBeNull();
    });

    it('are not between the vacancy question and the vacancy misconception: both replies explain the law', () => {
        const vacancy = { faq: 0.45, 'fee_arrears/misconception': 0.43, complaint: 0.12 };
        expect(reading(vacancy).recognize('房子没人住也要交物业费吗')).toMatchObject({ intent: 'faq', clarify: null });
        // A hardship reading that close to faq still gets the question: its reply (instalments) is another one.
        const hardship = { faq: 0.45, 'fee_arrears/hardship': 0.43, complaint: 0.12 };
        expect(reading(hardship).recognize('最近手头紧，物业费能晚点交吗').clarify).toEqual(['faq', 'fee_arrears']);
    });

    it('are not when the message is danger or a threat: that is acted on at once', () => {
        expect(reading({ repair: 0.4, 'complaint/facility': 0.35, faq: 0.25 }).recognize('车棚着火了').clarify).toBeNull();
    });

    it('a button tapped is that choice: the reading the owner chose, never asked again', () => {
        const evidence = new ReadingEvidence(data, () => 0);
        const tap = evidence.button('complaint', '车棚的门坏了')!.value;
        const u = reading({ repair: 0.4, 'complaint/facility': 0.35, faq: 0.25 }).recognize(tap);
        expect(u).toMatchObject({ intent: 'complaint', sub: 'facility', clarify: null });
    });

    it('every pair has its buttons', () => {
        for (const pair of data.clarify.pairs) for (const intent of pair) expect(data.clarify.options[intent]).toBeTruthy();
    });
});
