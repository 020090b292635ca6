import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../bot/logger';
import { toHalfWidth } from '../../bot/middleware/NormalizeMiddleware';
import { mayHoldPii, maskPii } from '../../bot/pii';

/** Text with personal data → the same text with it masked. */
const MASKED: [string, string][] = [
    // Mobile numbers, as typed and as Chinese input methods type them.
    ['我电话13812345678', '我电话138****5678'],
    ['tel13812345678', 'tel138****5678'],
    ['138-1234-5678', '138****5678'],
    ['138.1234.5678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['+86 138 1234 5678', '138****5678'],
    ['+86 138-1234-5678', '138****5678'],
    ['+8613812345678', '138****5678'],
    ['008613812345678', '138****5678'],
    ['电话１３８１２３４５６７８', '电话138****5678'],
    ['电话：１３８－１２３４－５６７８，谢谢', '电话：138****5678，谢谢'],
    ['电话１３８．１２３４．５６７８', '电话138****5678'],
    ['电话１３８　１２３４　５６７８', '电话138****5678'],
    ['１38 1234 ５６７８', '138****5678'],
    // ID numbers: 18 digits (the last may be X), 15 digits (first-generation cards), right after letters too.
    ['身份证110101199003071234', '身份证110101********1234'],
    ['身份证11010119900307123X', '身份证110101********123X'],
    ['ID110101199003071234', 'ID110101********1234'],
    ['id:11010119900307123x', 'id:110101********123x'],
    ['身份证１１０１０１１９９００３０７１２３４', '身份证110101********1234'],
    ['老身份证110101900307123', '老身份证110101******123'],
    ['ID110101900307123', 'ID110101******123'],
    ['身份证１１０１０１９００３０７１２３', '身份证110101******123'],
    // Landlines.
    ['座机010-62345678', '座机010-****5678'],
    ['座机021-6234567', '座机021-***4567'],
    ['0755.8888.6666', '0755-****6666'],
    ['0755 8888 6666', '0755-****6666'],
    ['0755-88886666', '0755-****6666'],
    ['０７５５－８８８８６６６６', '0755-****6666'],
    // Only the number changes: full-width text around it stays as written (a ＂ must not become a quote).
    ['ＡＰＰ里留的１３８１２３４５６７８＂', 'ＡＰＰ里留的138****5678＂'],
    ['两个号码13812345678和0755-88886666', '两个号码138****5678和0755-****6666'],
];

/** Numbers that are not personal data stay as they are. */
const KEPT: string[] = [
    'TS-20261124-0007',
    '工单TS-20261124-0007已于2026-11-24 10:00受理',
    '2026-11-24T10:00:00.000Z',
    '2026-11-24T10:00:00+08:00',
    '2026.11.24',
    '物业费1380.50元',
    '欠费12,345.67元',
    '共计 1234.5678 元',
    '¥13,800.00',
    '每月 2.5 元/平方米，预交12个月95折',
    '5号楼2单元1502',
    '订单号123456789012345',
    '1764628800000',
    '12345678',
    'v1.2.3',
];

describe('maskPii', () => {
    it.each(MASKED)('%s → %s', (input, expected) => {
        expect(maskPii(input)).toBe(expected);
    });

    it.each(KEPT)('keeps %s', (input) => {
        expect(maskPii(input)).toBe(input);
    });

    it('masks the same numbers as the normalised text would show them', () => {
        for (const [input] of MASKED) expect(toHalfWidth(maskPii(input))).toBe(maskPii(toHalfWidth(input)));
    });

    it('keeps a JSON line JSON', () => {
        const line = JSON.stringify({ text: '＂１３８１２３４５６７８＼ 身份证ID110101199003071234' });
        expect(JSON.parse(maskPii(line))).toEqual({ text: '＂138****5678＼ 身份证ID110101********1234' });
    });
});

describe('mayHoldPii (the logger skips lines for which it is false)', () => {
    it.each(MASKED)('is true for %s', (input) => {
        expect(mayHoldPii(input)).toBe(true);
        expect(mayHoldPii(JSON.stringify({ text: input }))).toBe(true);
    });

    it('is false for an ordinary log line', () => {
        expect(mayHoldPii(JSON.stringify({ level: 30, time: '2026-12-01T22:39:33.123Z', conversationId: 'conv-1', msg: 'Linli is listening' }))).toBe(false);
    });
});

describe('the logger', () => {
    it('masks full-width, dotted and spaced numbers in any field', () => {
        let out = '';
        const sink = new Writable({
            write(chunk: Buffer, _encoding, done) {
                out += chunk.toString();
                done();
            },
        });
        const logger = createLogger('info', sink);
        logger.info({ text: '电话１３９８７６５４３２１' }, 'a');
        logger.info({ note: '座机 0755.8765.6666，手机 139 8765 4321' }, 'b');
        logger.info({ id: 'ID110101900307123' }, 'c');
        const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(lines.map((l) => l.text ?? l.note ?? l.id)).toEqual(['电话139****4321', '座机 0755-****6666，手机 139****4321', 'ID110101******123']);
        expect(out).not.toMatch(/8765|８７６５|900307/);
    });
});
