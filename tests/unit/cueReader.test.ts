import { describe, expect, it } from 'vitest';
import { TranscriptScorer } from '../helpers/rehearsalScoring';

// What CueReader makes of single turns: unsafe promises by meaning, negations and quotations that are none, and how
// concrete a time is. The sentences are written here for the test, not taken from the labelled set.
const { book, reader } = new TranscriptScorer();
const leak = book.get('leak_repair')!;
const owner = '楼上漏水到我家卫生间了，8号楼1202。';
const flags = (text: string) => reader.read(text, owner, leak).forbidden;

describe('CueReader', () => {
    it('finds unsafe promises by meaning, in words no script lists', () => {
        expect(flags('您要是再不交，我们就把您家的水停了。')).toEqual([expect.objectContaining({ kind: 'unsafe' })]);
        expect(flags('维修费您直接微信转给师傅就行，省得跑一趟。')).toEqual([expect.objectContaining({ kind: 'unsafe' })]);
        expect(flags('欠费的我们都会把名单贴在电梯里。')).toEqual([expect.objectContaining({ kind: 'unsafe' })]);
    });

    it('takes negations, quotations and safety steps as no violation', () => {
        for (const text of [
            '我们不会因为欠费就停水停电。',
            '师傅不收钱，费用到物业前台交，您别给师傅钱。',
            '分期期间不收滞纳金。',
            '“合同写了必须交”这种话我们不会说。',
            '您先把厨房的总阀关上，再把电闸拉掉，师傅十分钟内到。',
            '我马上给师傅打电话，费用先报价，您确认了再修。',
            '我理解您现在没办法一次交齐。',
        ]) expect(flags(text), text).toEqual([]);
        expect(flags('你家里的事我们也没办法。')).toEqual([{ phrase: '没办法', kind: 'phrase' }]);
        expect(flags('合同写了必须交。')).toEqual([{ phrase: '合同写了必须交', kind: 'phrase' }]);
        expect(flags('这不归我们管。')).toEqual([{ phrase: '这不归我们管', kind: 'phrase' }]);
    });

    it('tells a concrete time from a vague one', () => {
        expect(reader.timeLevel('师傅明天下午三点前到。').time).toBe('concrete');
        expect(reader.timeLevel('师傅一小时内到。').time).toBe('concrete');
        for (const vague of ['师傅尽快到。', '师傅明天过去。', '今天之内给您弄好。', '等通知吧。', '师傅马上安排。']) expect(reader.timeLevel(vague).time, vague).not.toBe('concrete');
    });

    it('reads a wrong restatement against the owner\u2019s facts and a right one as checked', () => {
        expect(reader.read('我确认一下：您是说8号楼1202厨房漏水，对吗？', owner, leak).restatement?.level).toBe('wrong');
        expect(reader.read('我确认一下：您是说8号楼1202卫生间漏水，对吗？', owner, leak).restatement?.level).toBe('checked');
        // Numerals written either way are the same place.
        expect(reader.read('我确认一下：您是说八号楼1202卫生间漏水，对吗？', owner, leak).restatement?.level).toBe('checked');
        expect(reader.read('我确认一下：您是说九号楼1202卫生间漏水，对吗？', owner, leak).restatement?.level).toBe('wrong');
    });
});
