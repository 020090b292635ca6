import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../bot/knowledge/KnowledgeBase';
import { KnowledgeRetriever } from '../../bot/knowledge/KnowledgeRetriever';
import { KnowledgeService } from '../../bot/knowledge/KnowledgeService';
import { Phrasebook } from '../../bot/Phrasebook';
import { SafetyAdvice } from '../../bot/knowledge/SafetyAdvice';
import { normalizeText } from '../../bot/middleware/NormalizeMiddleware';
import { PROJECT_ROOT } from '../../bot/paths';
import { KNOWLEDGE_DIR, tokenizer } from '../helpers/knowledge';

const base = KnowledgeBase.fromDirectory(KNOWLEDGE_DIR);
const retriever = KnowledgeRetriever.forKnowledge(KNOWLEDGE_DIR, base.entries, tokenizer());
const service = new KnowledgeService(base, retriever, Phrasebook.fromFile(join(PROJECT_ROOT, 'scripts', 'phrases.json'), base.estate));

describe('KnowledgeRetriever', () => {
    it.each([
        ['小区的房子一直没人住，还要不要交物业费', 'vacant_unit'],
        ['可以在支付宝上缴纳物业费吗', 'payment_channels'],
        // "怎么/在哪" are stopwords; as dictionary words 怎么交 and 在哪交 still say "how/where to pay".
        ['请问物业费怎么交', 'payment_channels'],
        ['物业费在哪交', 'payment_channels'],
        ['预存一年物业费能便宜点吗', 'prepay_discount'],
        ['物业会不会因为欠费停我家的电', 'no_cutoff'],
        ['广告位和车位的收入归谁所有', 'public_income'],
        ['专项维修资金能不能用来修外墙', 'maintenance_fund'],
        ['装修之前要到物业办什么手续', 'renovation'],
        ['报修后多长时间会有人响应', 'response_times'],
        ['收房那天要带哪些证件', 'movein_documents'],
        ['物業費可以開發票嗎', 'invoice'],
    ])('%s → %s', async (question, id) => {
        const [best] = await retriever.invoke(normalizeText(question));
        expect(best?.metadata.id).toBe(id);
    });

    it.each(['今天股市行情如何', '帮我写一首关于秋天的诗', '猫咪不吃饭怎么办'])('quotes nothing for a weak match: %s', (question) => {
        expect(retriever.search(question)).toEqual([]);
    });
});

describe('KnowledgeService answers', () => {
    const vacant = base.get('vacant_unit')!;

    it('quotes the statute verbatim for default owners', () => {
        const { text } = service.render({ entry: vacant, score: 100 }, 'default');
        expect(text).toContain('《中华人民共和国民法典》第九百四十四条');
        expect(text).toContain('业主不得以未接受或者无需接受相关物业服务为由拒绝支付物业费');
    });

    it('speaks plainly to elderly owners: warm words, the law named, not quoted', () => {
        const { text } = service.render({ entry: base.get('fee_content')!, score: 100 }, 'elderly');
        expect(text).toContain('生活费');
        expect(text).not.toContain('：“');
        // The statute by name and the company policy by name, introduced as the phrasebook words it.
        expect(text).toMatch(/依据：《[^》]+》第[^；]+条；公司制度：预算与收支公示制度/);
    });

    it('is short for young owners and offers buttons where the entry has follow-ups', () => {
        const young = service.render({ entry: base.get('payment_channels')!, score: 100 }, 'young');
        const adult = service.render({ entry: base.get('payment_channels')!, score: 100 }, 'default');
        expect(young.text.length).toBeLessThan(adult.text.length);
        expect(young.actions.length).toBeGreaterThan(0);
        expect(adult.actions).toEqual([]);
    });

    it('fills the estate figures into answers', () => {
        const { text } = service.render({ entry: base.get('prepay_discount')!, score: 100 }, 'default');
        expect(text).toContain(base.estate.prepayDiscount);
        expect(text).not.toMatch(/\{\w+\}/);
    });

    it('refuses an entry that cites an article it does not hold', () => {
        const broken = { ...vacant, sources: [{ law: '中华人民共和国民法典', article: '第一千条' }] };
        expect(() => new KnowledgeBase([broken], {}, base.estate)).toThrow(/第一千条/);
    });
});

describe('statutes', () => {
    // The shared legal reference, copied into the repo (tests/fixtures/README.md says from where) so the check runs
    // on any machine.
    const reference = join(PROJECT_ROOT, 'tests', 'fixtures', 'statutes.md');

    it('every article Linli quotes stands verbatim in the reference copy', () => {
        const source = readFileSync(reference, 'utf8');
        const statutes = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'statutes.json'), 'utf8')) as { laws: Record<string, Record<string, string>> };
        let paragraphs = 0;
        for (const articles of Object.values(statutes.laws)) {
            for (const [article, text] of Object.entries(articles)) {
                for (const paragraph of text.split('\n')) {
                    expect(source, article).toContain(paragraph);
                    paragraphs++;
                }
            }
        }
        expect(paragraphs).toBeGreaterThan(0);
    });
});

describe('SafetyAdvice', () => {
    const safety = SafetyAdvice.fromFile(join(KNOWLEDGE_DIR, 'safety.json'));
    it.each([
        ['电梯里有人被困', 'lift', /警铃|扒门/],
        ['闻到煤气味', 'gas', /开窗|开门窗|不要/],
        ['楼道着火了', 'fire', /119/],
        ['有人受伤流血了', 'injury', /120/],
        ['家里进小偷了', 'crime', /110/],
    ])('%s → %s', (text, hazard, step) => {
        const advice = safety.stepsFor(text);
        expect(advice.hazards).toContain(hazard);
        expect(advice.steps.join('')).toMatch(step);
    });
});

describe('KnowledgeRetriever with synonyms (knowledge/nlu/synonyms.json)', () => {
    // Two made-up entries, so only the expansion can connect the owner's word with the entry's term.
    const entries = [
        { id: 'records', questions: ['业主的个人信息怎么保管', '个人信息会外泄吗'], answers: { default: '档案单独保密管理。', elderly: '档案单独保密管理。', young: '档案保密。' }, sources: [{ policy: 'p' }] },
        { id: 'hours', questions: ['客服中心几点开门', '周末客服中心开不开'], answers: { default: '每天都开门营业。', elderly: '每天都开门营业。', young: '每天开。' }, sources: [{ policy: 'p' }] },
    ];
    const synonyms = [{ term: '个人信息', variants: ['身份证号', '手机号'] }];
    const question = '你们会把我的身份证号给中介吗';

    it('finds an entry by an owner’s word for its subject', () => {
        const expanded = new KnowledgeRetriever({ entries, tokenizer: tokenizer(), minScore: 30, synonyms });
        expect(expanded.search(question)[0]?.metadata.id).toBe('records');
    });

    it('does not without the synonym (the expansion is what finds it)', () => {
        const plain = new KnowledgeRetriever({ entries, tokenizer: tokenizer(), minScore: 30 });
        expect(plain.search(question)[0]?.metadata.id).not.toBe('records');
    });

    it.each([
        ['我在物业登记过的电话号码和住址，会不会被你们拿去卖', 'privacy'],
        ['对投诉的处理结果不满意，接下来是什么步骤', 'complaint_process'],
        ['维修工上门干完活，要我私下给他钱，能这样吗', 'repair_charging'],
        ['新房子刚拿钥匙，物业费从哪天起算', 'fee_start'],
        ['房子闲置了一年，物业费可以少交点吗', 'vacancy_discount'],
    ])('the estate’s retriever finds «%s» in %s', (text, id) => {
        expect(retriever.search(normalizeText(text))[0]?.metadata.id).toBe(id);
    });
});
