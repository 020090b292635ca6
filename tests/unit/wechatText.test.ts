import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WeChatMenu } from '../../adapters/wechat/WeChatMenu';
import { TEXT_LIMIT_BYTES, choiceIndex, markdownToPlain, packMessages, renderReply } from '../../adapters/wechat/WeChatText';
import { normalizeText } from '../../bot/middleware/NormalizeMiddleware';
import { NluRecognizer } from '../../bot/nlu/NluRecognizer';
import { KNOWLEDGE_DIR, tokenizer } from '../helpers/knowledge';

describe('WeChat text', () => {
    it('turns Markdown into plain text', () => {
        expect(markdownToPlain('**注意**：请看[缴费须知](https://example.com/fees)\n\n# 标题\n- 第一条\n- `第二条`')).toBe(
            '注意：请看缴费须知（https://example.com/fees）\n\n标题\n· 第一条\n· 第二条',
        );
    });

    it('numbers suggested actions and keeps their values as choices', () => {
        const rendered = renderReply({ type: 'message', text: '可以线上交。', suggestedActions: { to: [], actions: [{ type: 'imBack', title: '预缴有优惠吗', value: '预缴有优惠吗' }, { type: 'imBack', title: '开发票', value: '怎么开发票' }] } });
        expect(rendered).toEqual({ text: '可以线上交。\n1. 预缴有优惠吗\n2. 开发票', choices: ['预缴有优惠吗', '怎么开发票'] });
        expect(renderReply({ type: 'typing' })).toBeNull();
    });

    it('joins a turn into as few messages as fit 2048 bytes, in order, cutting only what is too long alone', () => {
        expect(packMessages(['一', '二', '三'])).toEqual(['一\n\n二\n\n三']);
        const long = '好'.repeat(600); // 1800 bytes
        const packed = packMessages([long, '之后', long]);
        expect(packed).toEqual([`${long}\n\n之后`, long]);
        const huge = packMessages(['长'.repeat(2000)]);
        expect(huge.length).toBe(3);
        expect(huge.join('')).toBe('长'.repeat(2000));
        for (const piece of [...packed, ...huge]) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(TEXT_LIMIT_BYTES);
    });

    it('reads "1", "２" and " 3 " as choices, and nothing else', () => {
        expect([choiceIndex('1', 2), choiceIndex('２', 2), choiceIndex(' 3 ', 3), choiceIndex('3', 2), choiceIndex('0', 2), choiceIndex('1号楼', 2)]).toEqual([0, 1, 2, null, null, null]);
    });
});

describe('the WeChat menu (knowledge/wechat-menu.json)', () => {
    it("each button's words are understood as the intent the file names", () => {
        const recognizer = NluRecognizer.fromKnowledge(KNOWLEDGE_DIR, tokenizer());
        const menu = WeChatMenu.fromFile(join(KNOWLEDGE_DIR, 'wechat-menu.json'));
        expect(menu.entries().length).toBeGreaterThan(0);
        for (const [key, button] of menu.entries()) expect(recognizer.recognize(normalizeText(button.text)).intent, key).toBe(button.intent);
    });
});
