import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../bot/middleware/NormalizeMiddleware';
import { createRequire } from 'node:module';
import { aroundTimeWords, EntityExtractor, parseAddress, parseSurname } from '../../bot/nlu/EntityExtractor';
import { loadTrainingUtterances } from '../../bot/nlu/TrainingData';
import { NluRecognizer } from '../../bot/nlu/NluRecognizer';
import { Lexicon } from '../../bot/nlu/Lexicon';
import { personaFromBirthYear } from '../../bot/nlu/PersonaDetector';
import { KNOWLEDGE_DIR, tokenizer } from '../helpers/knowledge';
import { join } from 'node:path';

// Trained in-process from the data, as start-up does when no built model matches.
const recognizer = NluRecognizer.fromKnowledge(KNOWLEDGE_DIR, tokenizer());
const read = (text: string) => recognizer.recognize(normalizeText(text));
const lexicon = Lexicon.fromFile(join(KNOWLEDGE_DIR, 'lexicons.json'));

describe('a fault told as a grievance is a facility complaint, a fault reported is a repair', () => {
    it.each([
        // Neglect or recurrence, whatever the classifier leans to.
        ['对讲门铃修完又不响了', 'complaint', 'facility'],
        ['健身器材的螺丝松了，也不来紧一紧', 'complaint', 'facility'],
        // A habitual fault with a plain request for the fix stays a repair.
        ['信箱的锁老是打不开，麻烦派人换一下', 'repair', null],
        // A long time alone is still a plain report of a public-area fault.
        ['小花园的秋千坏了挺长时间了', 'repair', null],
    ])('%s → %s / %s', (text, intent, sub) => {
        const u = read(text);
        expect(u.intent).toBe(intent);
        expect(u.sub).toBe(sub);
    });

    it.each(['秋千链子断了好久了没人换', '车库那个杆子咋又不抬了', '恁们那屋顶咋修的，一下雨就滴答'])('hears neglect or recurrence in %s', (text) => {
        expect(lexicon.tellsGrievance(text)).toBe(true);
    });

    it('leaves a reading other than repair alone', () => {
        expect(lexicon.tellsGrievance('报了三次修也没人来')).toBe(true);
        expect(read('我上周报的修到现在也没人来，进度怎么样了').intent).toBe('ticket_status');
    });
});

describe('intent and sub-label (sentences not in the training data)', () => {
    it.each([
        ['早上好呀，物业小哥', 'greeting', null],
        ['我得投诉一下', 'complaint', 'service'],
        ['想反映点情况', 'complaint', 'service'],
        ['行了，没别的事，谢啦', 'thanks_bye', null],
        ['别跟我机器人对话了，给我转个人工', 'human_agent', null],
        ['物业费能不能用支付宝付', 'faq', null],
        ['收房的时候需要带购房合同吗', 'faq', null],
        ['次卧的灯管不亮了，麻烦派人看看', 'repair', null],
        ['电梯一周坏了三次，到底有没有人管', 'complaint', 'facility'],
        ['保安晚上值班睡觉，太不负责了', 'complaint', 'service'],
        ['这个季度的公摊电费贵得离谱', 'complaint', 'fee'],
        ['我下岗了，物业费想分期补交', 'fee_arrears', 'hardship'],
        ['楼道卫生不搞好我就不交物业费', 'fee_arrears', 'service_dissatisfaction'],
        ['我的房子一直空着，凭什么收物业费，不交', 'fee_arrears', 'misconception'],
        ['上周报修的马桶有人来修了没', 'ticket_status', null],
        ['帮我推荐个好看的电视剧', 'out_of_scope', null],
    ])('%s → %s / %s', (text, intent, sub) => {
        const u = read(text);
        expect(u.intent).toBe(intent);
        expect(u.sub).toBe(sub);
    });

    it.each([
        ['請問物業費可以用微信繳嗎', 'faq'],
        ['電梯壞了一個星期都沒人修', 'complaint'],
        ['有人被困在電梯裡了', 'emergency'],
    ])('reads Traditional input: %s → %s', (text, intent) => {
        expect(read(text).intent).toBe(intent);
    });
});

describe('threats that sound like arrears', () => {
    it.each([
        ['再不修我就砍死你们', 'complaint', 'safety'],
        ['电梯再不修我就去12345投诉', 'complaint', 'legal_threat'],
        ['你们再不修，我就找人砸了物业办公室', 'complaint', 'safety'],
        ['再不修我就不交物业费了', 'fee_arrears', null],
    ])('%s → %s (%s): arrears needs a word of paying', (text, intent, reason) => {
        const u = read(text);
        expect(u.intent).toBe(intent);
        expect(u.escalationReason).toBe(reason);
    });
});

describe('arrears worded as a grumble or a question (lexicons.json arrearsReading)', () => {
    it.each([
        ['我爸上个月刚走，家里乱糟糟的，这物业费能不能晚点交', 'faq', 'hardship'],
        ['厂里停产半年了，你们还天天催，我拿不出来', 'complaint', 'hardship'],
        ['楼道半个月没人扫，这钱俺不掏', 'complaint', 'refusal'],
        ['电梯坏着不修，物业费我先扣着', 'repair', 'refusal'],
    ] as const)('%s (read as %s) → %s', (text, reading, rule) => {
        expect(lexicon.arrearsOver(normalizeText(text), reading)).toBe(rule);
    });

    it.each([
        ['如果家里有人住院，物业费有没有缓交的政策', 'faq', 'the policy asked in general'],
        ['我住院那几天晚交了，回来就被收了滞纳金', 'complaint', 'a late fee already charged'],
        ['我住院的时候家里水管漏了', 'repair', 'a circumstance without any word of not paying'],
        ['不交物业费会被停水吗', 'faq', 'what happens to those who do not pay'],
        ['师傅收了钱不给收据', 'complaint', 'a receipt withheld, not the fee'],
        ['失业了物业费还能分期吗', 'ticket_status', 'a reading the rule does not override'],
    ] as const)('leaves %s (read as %s) alone: %s', (text, reading, _why) => {
        expect(lexicon.arrearsOver(normalizeText(text), reading)).toBeNull();
    });

    it('takes a refusal over the policy question only when the message asks nothing', () => {
        expect(lexicon.arrearsOver('垃圾一个月没人清，这季度我停缴了', 'faq', false)).toBe('refusal');
        expect(lexicon.arrearsOver('垃圾一个月没人清，我停缴行不行', 'faq', true)).toBeNull();
    });

    it('leaves a refusal only supposed to the classifier, asked or not', () => {
        expect(lexicon.arrearsOver('要是不交物业费，你们会断水', 'faq', false)).toBeNull();
        expect(lexicon.arrearsOver('听说不交钱你们就上门堵锁', 'complaint', false)).toBeNull();
    });

    it.each([
        ['保洁三天不来一回，我们交了十年物业费图什么', true],
        ['物业费一分没欠，电梯一个月坏三回', true],
        ['交了物业费也白交，这季度我不交了', false],
        ['交了物业费就不够吃药了，能缓缓吗', false],
        ['保安连快递都看不住，我凭啥按时交费', false],
    ] as const)('%s: says the fee was paid and withholds nothing → %s', (text, paidOnly) => {
        expect(lexicon.saysPaidOnly(normalizeText(text))).toBe(paidOnly);
    });

    it('reads a refusal said as 不会交, 拒绝支付 or 物业费我停了', () => {
        for (const text of ['楼道脏成这样，不打扫干净我是不会交的', '游泳池关了一年，这部分费用我拒绝支付', '快递第三次被偷了，物业费我停了']) {
            expect(lexicon.arrearsOver(normalizeText(text), 'complaint')).toBe('refusal');
        }
    });

    it('does not take 看不住 for a flat nobody lives in', () => {
        expect(lexicon.arrearsCause('保安连快递都看不住，反正我不交')).toBeNull();
        expect(lexicon.arrearsCause('房子常年不住人，物业费我不交')).toBe('misconception');
    });
});

describe('a person is asked for in words, not guessed', () => {
    it('does not hand a privacy question to a person', () => {
        const u = read('你们会把我的手机号给别人吗');
        expect(u.intent).not.toBe('human_agent');
        expect(u.escalationReason).toBeNull();
    });

    it.each(['我不跟机器说话', '你个破机器人听不懂人话吗', '我要投诉，给我找个能做主的人'])('%s → a person', (text) => {
        expect(read(text)).toMatchObject({ intent: 'human_agent', escalationReason: 'requested' });
    });
});

describe('escalation lexicons (recall first)', () => {
    it.each([
        ['我爸被关在电梯里出不来了', 'emergency'],
        ['厨房一股煤气味', 'emergency'],
        ['楼下在冒浓烟', 'emergency'],
        ['有人撬我家门锁', 'emergency'],
        ['高空抛物把车砸了', 'emergency'],
        ['水管爆了，客厅全是水', 'emergency'],
        // A "*" in a lexicon entry spans a few characters of one clause: 水管*爆.
        ['家里水管突然爆了', 'emergency'],
        ['暖气管子半夜爆了，水哗哗地流', 'emergency'],
        ['隔壁家冒出好多黑烟', 'emergency'],
        ['再不处理我就去法院起诉你们', 'legal_threat'],
        ['我要打12345投诉你们', 'legal_threat'],
        ['我要找记者来曝光', 'legal_threat'],
        // Today's media: a post or a video threatened is the same threat as a reporter.
        ['再拖着不修，我就拍视频发到抖音上', 'legal_threat'],
        ['这事我要写出来发小红书', 'legal_threat'],
        ['我去住建局举报你们', 'legal_threat'],
        ['你们这帮废物', 'abuse'],
        ['再不解决我就跳楼', 'safety'],
        ['给我转人工', 'requested'],
    ])('%s → %s', (text, reason) => {
        expect(read(text).escalationReason).toBe(reason);
    });

    it.each(['物业费怎么交', '电梯年检是什么时候', '我要报修水龙头', '小区停车费多少钱', '燃气费在哪交', '在抖音上刷到别的小区也这样收费吗'])(
        'does not escalate a calm question: %s',
        (text) => {
            expect(read(text).escalationReason).toBeNull();
        },
    );

    it('does not let a "*" entry reach across a clause', () => {
        expect(lexicon.escalations('水管没事，爆的是轮胎')).not.toContain('emergency');
        expect(lexicon.escalations('水管半夜爆了')).toContain('emergency');
    });

    it('reads a demand for someone in charge as a request for a person, whatever the grievance around it', () => {
        expect(read('楼道灯坏了半个月，喊你们经理出来说话')).toMatchObject({ intent: 'human_agent', escalationReason: 'requested' });
        expect(read('停车费一个月涨两回，我要见你们领导')).toMatchObject({ intent: 'human_agent', escalationReason: 'requested' });
        // Staff asked to come and fix something is a repair, and a role named without a call for it is no request.
        expect(lexicon.escalations('请工作人员上门看一下水表')).not.toContain('requested');
        expect(lexicon.escalations('经理，领导，你们这个月的账单对不上')).not.toContain('requested');
    });

    it('reads the owner as the one sued as a question about arrears, not a threat', () => {
        expect(lexicon.escalations('物业费拖了两年，会不会被起诉')).not.toContain('legal_threat');
        expect(lexicon.escalations('邻居被物业告上法院了，我们也会这样吗')).not.toContain('legal_threat');
        expect(lexicon.escalations('收到律师函让我补交，该怎么办')).not.toContain('legal_threat');
        expect(lexicon.escalations('再不给说法我就去法院起诉你们')).toContain('legal_threat');
        expect(lexicon.escalations('我已经找好律师了')).toContain('legal_threat');
    });

    it('does not read "usb" as an insult', () => {
        expect(read('usb接口的充电桩坏了').escalationReason).toBeNull();
    });

    it.each(['滞纳金一天天利滚利，这么算合理吗', '商场的滚梯跟小区没关系吧'])('does not read 滚 inside a word as an insult: %s', (text) => {
        expect(lexicon.escalations(normalizeText(text))).not.toContain('abuse');
    });

    it('still reads 滚 alone as an insult', () => {
        expect(lexicon.escalations('滚，别烦我')).toContain('abuse');
    });
});

describe('persona', () => {
    it.each([
        ['我老伴不在家，我不会用手机交钱', 'elderly'],
        ['闺女，我七十多了，你说慢点', 'elderly'],
        ['小伙子，帮我看看这个事', 'elderly'],
        ['发个链接呗，我在app上弄', 'young'],
        ['哈哈哈好的😂', 'young'],
        ['我腿脚不好，下不了楼，能上门收吗', 'elderly'],
        ['儿女都不在身边，家里水管坏了没人弄', 'elderly'],
        ['在线等，急急急，门禁卡刷不开', 'young'],
        ['好滴谢啦', 'young'],
        ['下班到家都七点多了，师傅晚上能来吗', 'young'],
        ['帮我姥姥问一下，物业费能上门收吗', 'young'],
        ['我是8号楼的老周，灯又坏了', 'elderly'],
        ['我这把年纪了，楼梯爬不动', 'elderly'],
        ['物业公司的电话是多少', 'default'],
        ['物业费怎么交', 'default'],
        ['电话里听不清，你们再说一遍', 'default'],
    ])('%s → %s', (text, persona) => {
        expect(lexicon.persona(normalizeText(text))).toBe(persona);
    });

    it('takes a birth year over the words', () => {
        const now = new Date('2026-11-24T00:00:00Z');
        expect(personaFromBirthYear(1950, now)).toBe('elderly');
        expect(personaFromBirthYear(2000, now)).toBe('young');
        expect(personaFromBirthYear(1980, now)).toBe('default');
    });
});

describe('entities', () => {
    it.each([
        ['5号楼2单元1502漏水', { building: '5', unit: '2', room: '1502' }],
        ['3栋501', { building: '3', room: '501' }],
        ['B座12楼的灯', { building: 'B', floor: '12' }],
        ['十二号楼三单元', { building: '十二', unit: '三' }],
        ['我家水管坏了', null],
    ])('address in %s', (text, address) => {
        expect(parseAddress(text)).toEqual(address);
    });

    it.each([
        ['我姓张', '张'],
        ['免贵姓欧', '欧'],
        ['我是李阿姨', '李'],
        ['我是业主', null],
    ])('surname in %s', (text, surname) => {
        expect(parseSurname(text)).toBe(surname);
    });

    it('finds phones, times against an injected clock, and money', () => {
        const extractor = new EntityExtractor(() => new Date('2026-11-24T10:00:00+08:00'));
        const e = extractor.extract('电话13812345678，明天下午三点来，换锁收了两百块');
        expect(e.phones).toEqual(['13812345678']);
        expect(e.times).toEqual([{ text: '明天下午三点', values: ['2026-11-25 15:00:00'] }]);
        expect(e.money).toEqual([{ text: '两百块', amount: 200, unit: 'Chinese yuan' }]);
        expect(extractor.extract('5号楼2单元1502').times).toEqual([]);
    });

    it('gives the date model only the stretches around time words, and still finds the dates of a long message', () => {
        expect(aroundTimeWords('厨房水槽下面一直在漏水，地上全是水，麻烦明天上午十点以后派人来修')).toBe('水，麻烦明天上午十点以后派人');
        expect(aroundTimeWords('5号楼2单元1502')).toBe('');
        // 一点 as "a little" is no time; as the hour it is.
        expect(aroundTimeWords('反映了三次，一点用都没有')).toBe('');
        expect(aroundTimeWords('一点半以后来吧')).toBe('一点半以后来');
        const extractor = new EntityExtractor(() => new Date('2026-11-24T10:00:00+08:00'));
        const texts = extractor.times('我上周三报的修，说好第二天来，结果等到现在都没人来，下个月1号之前能修好吗，下周二上午我在家').map((t) => t.text);
        expect(texts).toEqual(['上周三', '下个月1号之前', '下周二上午']);
    });

    it('loses no date or time of the training sentences to the stretches (only "now" words, bare 早/晚, 一点 and durations)', () => {
        const clock = () => new Date('2026-11-24T10:00:00+08:00');
        const extractor = new EntityExtractor(clock);
        const whole = createRequire(__filename)('@microsoft/recognizers-text-suite') as typeof import('@microsoft/recognizers-text-suite');
        // 一点 of 一点用都没有 is no hour, though the whole text reads it as one.
        const vague = /^(?:现在|马上|最近|早|晚|这一?(?:年|半年)|这一个月以来|秋天|一点)$/;
        const lost: string[] = [];
        for (const u of loadTrainingUtterances(KNOWLEDGE_DIR)) {
            const text = normalizeText(u.text);
            if (aroundTimeWords(text) === '') continue;
            const kept = new Set(extractor.times(text).map((t) => `${t.text}=${t.values.join('|')}`));
            for (const r of whole.recognizeDateTime(text, whole.Culture.Chinese, undefined, clock())) {
                // 九号 of 九号楼 is a building the whole text misread as a date.
                const building = text.slice(r.end + 1).startsWith('楼');
                if (/duration|set/.test(r.typeName) || /^\d+$/.test(r.text) || vague.test(r.text) || building) continue;
                const values = ((r.resolution?.values ?? []) as { value?: string; start?: string; end?: string }[]).map((v) => v.value ?? [v.start, v.end].filter(Boolean).join('/'));
                if (!kept.has(`${r.text}=${values.join('|')}`)) lost.push(`${r.text} in ${text}`);
            }
        }
        expect(lost).toEqual([]);
    });
});
