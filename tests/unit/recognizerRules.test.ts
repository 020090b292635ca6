import { describe, expect, it } from 'vitest';
import { fixedEvidence, recognizerGuessing } from '../helpers/guessingRecognizer';

// The recogniser's rules on top of the classifier, apart from any trained model (tests/helpers/guessingRecognizer.ts).

describe('an emergency guessed by the classifier alone', () => {
    it('is not trusted below the minimum confidence (a bare place answering a question)', () => {
        const u = recognizerGuessing({ emergency: 0.24, repair: 0.2, 'complaint/service': 0.2, faq: 0.18, out_of_scope: 0.18 }).recognize('3号楼后面');
        expect(u).toMatchObject({ intent: 'out_of_scope', escalationReason: null });
    });

    it('needs a sure reading when no hazard word is in the message: a bare address is not danger at 0.45', () => {
        const unsure = { emergency: 0.45, repair: 0.25, greeting: 0.15, out_of_scope: 0.15 };
        expect(recognizerGuessing(unsure).recognize('5栋')).toMatchObject({ intent: 'repair', escalationReason: null });
        // The same weight with a hazard word in the message: the lexicon decides, recall first.
        expect(recognizerGuessing(unsure).recognize('5栋冒烟了')).toMatchObject({ intent: 'emergency', escalationReason: 'emergency' });
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

describe('a reading torn between a repair and a facility complaint', () => {
    // Close enough to ask about (knowledge/nlu/evidence.json, clarify), so the words settle it.
    const torn = (probabilities: Record<string, number>) => recognizerGuessing(probabilities, fixedEvidence());
    const leaningComplaint = { 'complaint/facility': 0.45, repair: 0.4, faq: 0.15 };

    it('is a repair when the fault is plainly told', () => {
        expect(torn(leaningComplaint).recognize('单元楼的感应灯坏了挺久了')).toMatchObject({ intent: 'repair', sub: null, clarify: null });
    });

    it('is a complaint when the words tell neglect, with no question asked', () => {
        expect(torn(leaningComplaint).recognize('单元楼的感应灯坏了也没人修')).toMatchObject({ intent: 'complaint', sub: 'facility', clarify: null });
        expect(torn({ repair: 0.45, 'complaint/facility': 0.4, faq: 0.15 }).recognize('单元楼的感应灯修完又坏了')).toMatchObject({ intent: 'complaint', clarify: null });
    });

    it('is asked about when it leans to a repair and the words settle nothing', () => {
        expect(torn({ repair: 0.45, 'complaint/facility': 0.4, faq: 0.15 }).recognize('单元楼的感应灯不亮')).toMatchObject({ intent: 'repair', clarify: ['repair', 'complaint'] });
    });
});

describe('a few words of courtesy the classifier is unsure of', () => {
    const unsure = { out_of_scope: 0.3, repair: 0.25, faq: 0.25, 'complaint/service': 0.2 };

    it('is thanks or a goodbye when it holds one of those words (3q, 88, 撤了)', () => {
        for (const text of ['3q', '88', '撤了', '拜了个拜👋']) expect(recognizerGuessing(unsure).recognize(text), text).toMatchObject({ intent: 'thanks_bye' });
    });

    it('is a hello when it holds a word of greeting and none of thanks', () => {
        expect(recognizerGuessing(unsure).recognize('哈罗')).toMatchObject({ intent: 'greeting' });
        expect(recognizerGuessing(unsure).recognize('你好，谢谢')).toMatchObject({ intent: 'thanks_bye' });
    });

    it('leaves a longer message, or one read as something else, to the classifier', () => {
        expect(recognizerGuessing(unsure).recognize('谢谢，可是楼道的灯还是不亮')).toMatchObject({ intent: 'out_of_scope' });
        expect(recognizerGuessing({ repair: 0.5, out_of_scope: 0.3, faq: 0.2 }).recognize('拜拜')).toMatchObject({ intent: 'repair' });
    });
});

describe('the cause of a refusal to pay', () => {
    it('is service dissatisfaction when the service itself is named as the ground, whatever the classifier leaned to', () => {
        const u = recognizerGuessing({ 'fee_arrears/misconception': 0.47, 'fee_arrears/service_dissatisfaction': 0.43, 'complaint/fee': 0.1 }).recognize('服务没做好我凭什么交钱');
        expect(u).toMatchObject({ intent: 'fee_arrears', sub: 'service_dissatisfaction' });
    });

    it('stays a misconception when a developer defect is the ground, even told with a repair word', () => {
        const u = recognizerGuessing({ 'fee_arrears/service_dissatisfaction': 0.5, 'fee_arrears/misconception': 0.4, 'complaint/fee': 0.1 }).recognize('开发商不修好我就不交，我没签过合同');
        expect(u).toMatchObject({ intent: 'fee_arrears', sub: 'misconception' });
    });
});

describe('a status question guessed for a message that points back to no ticket', () => {
    const guess = { ticket_status: 0.55, 'complaint/service': 0.2, repair: 0.1, out_of_scope: 0.15 };

    it('is the new complaint it asks for, its weight its share of the readings left', () => {
        // 0.2 alone is below the minimum confidence; of the 0.45 left once the status question is ruled out it is 0.44.
        expect(recognizerGuessing(guess).recognize('帮我提交一个投诉')).toMatchObject({ intent: 'complaint', sub: 'service' });
    });

    it('stays a status question when the words point back to a ticket or ask how it stands', () => {
        expect(recognizerGuessing(guess).recognize('我上周的投诉处理了吗')).toMatchObject({ intent: 'ticket_status' });
        expect(recognizerGuessing(guess).recognize('报修的进度')).toMatchObject({ intent: 'ticket_status' });
    });
});
