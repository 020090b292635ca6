import { describe, expect, it } from 'vitest';
import { recognizerGuessing } from '../helpers/guessingRecognizer';

// complaintObject in knowledge/lexicons.json: the object of a complaint decides its category, not the fee named in anger.
// A classifier that reads every message as a fee complaint by its priors alone, so the rule is what decides.
const recognizer = recognizerGuessing({ 'complaint/fee': 0.6, 'complaint/facility': 0.2, 'complaint/service': 0.2 });

describe('a complaint that calls the fee wasted', () => {
    it.each([
        ['a lift', '物业费真是白交，单元门的对讲一直是坏的', 'facility'],
        ['the guards', '每月钱照收，保安夜里从来不巡逻', 'service'],
        ['a tap', '我们交了物业费，水龙头里放出来的是锈水', 'facility'],
        ['a drain', '停车费你们好意思收？下水道堵了一个月了', 'facility'],
    ])('is filed by its object (%s)', (_object, text, sub) => {
        expect(recognizer.recognize(text)).toMatchObject({ intent: 'complaint', sub });
    });

    it('stays a fee complaint when the fee itself is the object', () => {
        expect(recognizer.recognize('这个月物业费比上个月多收了五十块')).toMatchObject({ intent: 'complaint', sub: 'fee' });
    });
});

describe("a worker's own dealings with money", () => {
    it.each(['换灯泡的师傅收了八十块，说没收据给', '维修员让我把钱转他个人微信'])('are a complaint about the worker: %s', (text) => {
        expect(recognizer.recognize(text)).toMatchObject({ intent: 'complaint', sub: 'service' });
    });

    it('leave a receipt asked about the fee itself alone', () => {
        expect(recognizer.recognize('物业费交了三个月了，收据到现在还没给我')).toMatchObject({ intent: 'complaint', sub: 'fee' });
    });
});
