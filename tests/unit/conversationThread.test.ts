import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../bot/knowledge/KnowledgeBase';
import { KnowledgeRetriever } from '../../bot/knowledge/KnowledgeRetriever';
import { KnowledgeService } from '../../bot/knowledge/KnowledgeService';
import { normalizeText } from '../../bot/middleware/NormalizeMiddleware';
import { MessageShapeFile, MessageShapeReader } from '../../bot/nlu/MessageShape';
import { PROJECT_ROOT } from '../../bot/paths';
import { Phrasebook } from '../../bot/Phrasebook';
import { KNOWLEDGE_DIR, tokenizer } from '../helpers/knowledge';

const shapes = MessageShapeReader.fromFile(join(KNOWLEDGE_DIR, 'message-shapes.json'));
const base = KnowledgeBase.fromDirectory(KNOWLEDGE_DIR);
const service = new KnowledgeService(
    base,
    new KnowledgeRetriever({ entries: base.entries, tokenizer: tokenizer(), minScore: 30 }),
    Phrasebook.fromFile(join(PROJECT_ROOT, 'scripts', 'phrases.json'), base.estate),
);

describe('MessageShapeReader (knowledge/message-shapes.json)', () => {
    it.each([
        ['👍', 'thanks'],
        ['👍🏻👍🏻', 'thanks'],
        ['🙏！', 'thanks'],
        ['ok', 'thanks'],
        ['？？？', 'puzzled'],
        ['??', 'puzzled'],
        ['👍？', 'puzzled'],
        ['。。。！！', 'punctuation'],
        ['……', 'punctuation'],
        ['Hi, the light in my hallway is broken, who should I contact?', 'english'],
        ['Can someone help me please', 'english'],
    ])('%s → %s', (text, shape) => {
        expect(shapes.read(normalizeText(text))).toBe(shape);
    });

    it.each(['物业费怎么交？？', '3号楼', '13800001111', 'APP怎么下载', '我家wifi和app都连不上', '好的'])('an ordinary message has no shape: %s', (text) => {
        expect(shapes.read(normalizeText(text))).toBeNull();
    });

    it('refuses a threshold without its reason', () => {
        const data = { thanks: ['👍'], puzzled: ['？'], english: { minLetters: 8, maxHanShare: 0, maxHanShareReason: 'x' } };
        expect(MessageShapeFile.safeParse(data).success).toBe(false);
    });
});

describe('KnowledgeService in a conversation', () => {
    it('after the payment answer, a question about the app finds the app entry the answer named', () => {
        const hit = service.lookup(normalizeText('那个APP叫什么，在哪里下载'), 'payment_channels');
        expect(hit).toMatchObject({ entry: { id: 'owner_app' }, followUp: true });
        expect(service.render(hit!, 'default').text).toContain(base.estate.appName);
    });

    it('after the payment answer, opening hours are those of the service centre it named', () => {
        const hit = service.lookup(normalizeText('那客服中心几点上班'), 'payment_channels');
        expect(hit).toMatchObject({ entry: { id: 'hotline' }, followUp: true });
        expect(service.render(hit!, 'default').text).toContain(base.estate.officeHours);
    });

    it('quotes a statute in full once, then cites it by name', () => {
        const vacant = { entry: base.get('vacant_unit')!, score: 100 };
        const first = service.render(vacant, 'default');
        expect(first.quotedStatutes).toEqual(['《中华人民共和国民法典》第九百四十四条']);
        const again = service.render(vacant, 'default', new Set(first.quotedStatutes));
        expect(again.quotedStatutes).toEqual([]);
        expect(again.text).toContain('《中华人民共和国民法典》第九百四十四条');
        expect(again.text).not.toContain('业主不得以未接受或者无需接受相关物业服务为由拒绝支付物业费');
    });

    it('refuses an entry naming a related entry that does not exist', () => {
        const entry = { ...base.get('payment_channels')!, related: ['no_such_entry'] };
        expect(() => new KnowledgeBase([entry], {}, base.estate)).toThrow(/related entry no_such_entry/);
    });
});
