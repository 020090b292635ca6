import { describe, expect, it } from 'vitest';
import { normalizeText, toHalfWidth } from '../../bot/middleware/NormalizeMiddleware';

describe('normalizeText', () => {
    it.each([
        // Chinese punctuation is kept as typed: owners see their words again in restatements and tickets.
        ['請問物業費怎麼繳？', '请问物业费怎么缴？'],
        ['電梯壞了，門禁也不靈', '电梯坏了，门禁也不灵'],
        ['电话：１３８－１２３４－５６７８', '电话：138-1234-5678'],
        ['　ＡＰＰ裡面能交嗎　', 'APP里面能交吗'],
        ['我家  漏水\n了', '我家 漏水 了'],
        ['５号楼２单元１５０２', '5号楼2单元1502'],
    ])('%s → %s', (input, expected) => {
        expect(normalizeText(input)).toBe(expected);
    });

    it('leaves half-width text alone', () => {
        expect(toHalfWidth('abc 123')).toBe('abc 123');
    });
});
