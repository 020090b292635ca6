import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lexicon } from '../../bot/nlu/Lexicon';
import { NluRecognizer } from '../../bot/nlu/NluRecognizer';
import { recognizerGuessing } from '../helpers/guessingRecognizer';
import { KNOWLEDGE_DIR, tokenizer } from '../helpers/knowledge';

// The "now" test of hazard words (knowledge/lexicons.json, hazardNow): a hazard word counts only when the message is
// about something happening now; recall first, a cue of now wins over a cue of another time.
const lexicon = Lexicon.fromFile(join(KNOWLEDGE_DIR, 'lexicons.json'));
const isEmergency = (text: string) => lexicon.escalations(text).includes('emergency');

describe('hazard words said of another time are no emergency', () => {
    it.each([
        ['a question about cutting power for arrears', '要是一直不交物业费，物业是不是会断电'],
        ['a question about cutting power, with 欠费', '欠费的话你们会停电吗'],
        ['power cut last week, said in order', '上礼拜停了电一整天，冰箱里的东西全坏了'],
        ['one socket without power', '书房有个插座没电了'],
        ["a phone's battery", '我手机没电了，晚点再说'],
        ['a theft last month', '上个月我放楼下的自行车被偷了，监控能查吗'],
        ['a seep from upstairs', '楼上卫生间渗水，我家天花板滴水有水印'],
        ['a water heater that will not light', '燃气热水器点不着火，一直咔咔响'],
        ['clutter that could catch fire', '走廊里全是纸箱，如果着火了谁负责'],
        ['a locked fire door and a fire that could happen', '安全出口那个门一直锁着，一旦发生火灾怎么跑'],
        ['days stuck at home', '电梯坏了我每天都被困在十八楼'],
        ['who is liable for an injury', '我家孩子在健身器材上受伤了，这个谁负责'],
        ['a paving slab that sank', '花坛边的路面塌了一块'],
        ['someone in the office', '你们物业办公室里面有人吗'],
        ['a theft last week, said with 上礼拜', '我放在车棚的自行车上礼拜被偷了'],
        ['a theft as the grounds for not paying', '家里被盗了保安都不知道，这物业费凭什么交'],
        ['thefts again and again, blamed on security', '楼下的快递又被偷了，你们保安有什么用'],
        ['clutter there for months (已经 as a duration), a fire that could happen', '楼梯口的旧柜子已经放了三个月，万一着火谁都跑不掉'],
        ['a locked fire door and who answers for a fire', '安全通道的门被锁了，出了火灾你们担得起吗'],
        ['one room without power, the rest normal', '书房灯和插座全都没电了，其他房间都好好的'],
        ['cigarette butts as litter (全是烟头)', '单元门口的台阶上全是烟头，好几天没人扫'],
        ['a leak from upstairs as the grounds of a grievance about its handling', '楼上漏水的事我找物业说了，前台和工程部推来推去'],
    ])('%s', (_why, text) => {
        expect(isEmergency(text)).toBe(false);
        expect(lexicon.hazard(text)).toEqual({ now: false, notNow: true });
    });
});

describe('hazards happening now still are', () => {
    it.each([
        ['an outage now', '整个单元刚刚突然停电了'],
        ['the whole flat without power', '家里都没电了，冰箱也停了'],
        ['a theft under way', '有人正在撬隔壁的门，车被偷了'],
        ['water pouring from upstairs', '楼上漏水漏到我家，水越来越大'],
        ['a fire, with nothing hypothetical', '楼下车棚起火了'],
        ['a fire now, even with a hypothetical word (recall first)', '如果你们再不来就烧起来了，现在已经着火了'],
        ['trapped in a lift', '我被困在电梯里了'],
        ['a theft under way, with a grievance', '小偷还在车库里偷电瓶，保安呢，快来'],
        ['a burglary found just now', '刚回家发现家里被盗了'],
        ['a fire that has started', '楼下已经着火了'],
        ['someone hurt and bleeding', '有个老人摔倒受伤了，一直在流血'],
        ['a ceiling that fell on someone', '客厅吊顶塌了，砸到人了'],
    ])('%s', (_why, text) => {
        expect(isEmergency(text)).toBe(true);
    });
});

describe('danger the emergency lexicon used to miss', () => {
    it.each([
        ['a flooded garage', '地库淹水了，车都泡着'],
        ['a flood', '小区门口发大水了'],
        ['a whole building without power', '我们全楼没电'],
        ['a box that gives shocks', '楼道的电箱会电人'],
        ['a stopped lift with someone inside', '电梯卡在八楼和九楼之间，里面有人'],
        ['a radiator pipe that burst', '客厅暖气管突然爆了'],
        ['a radiator that cracked', '暖气片裂开了'],
        ['trapped, in two characters', '困梯，快'],
        ['a switch that gives shocks', '阳台的开关一碰就电手'],
        ['a stairwell full of smoke', '楼梯间全是烟'],
        ['water running into the stairwell', '水一直往外冒，都流到楼道了'],
        ['an outdoor unit swinging above the path', '楼上的空调外机在晃，底下全是人'],
        ['the whole estate dark', '小区突然全黑了'],
        ['someone forcing a door, with words between', '有人在撬对门的门'],
        ['the power gone, said in order', '整栋楼刚刚停了电，黑乎乎的'],
        ['an alarm bell nobody answers in the lift', '我困在电梯里按警铃半天没人应'],
    ])('%s', (_why, text) => {
        expect(isEmergency(text)).toBe(true);
    });

    it.each([
        ['ending one’s life', '我真想结束自己的生命'],
        ['leaving without pain', '有没有办法没有痛苦地离开'],
        ['death as a way out', '这日子过不下去，死了算了'],
        ['standing on the roof', '我就站在天台上'],
        ['having lived enough', '一个人守着这空房子，我是活够了'],
    ])('self-harm without its usual words: %s', (_why, text) => {
        expect(lexicon.escalations(text)).toContain('safety');
    });
});

// Everyday and dialect words for danger now, and the same objects' repairs, complaints and questions beside them.
describe('danger told in everyday words', () => {
    it.each([
        ['a pipe that burst open', '厨房水管崩开了一道口子'],
        ['a pipe spraying', '暖气管子底下一直呲水'],
        ['water coming through the ceiling', '吊顶往下灌水，地上全湿了'],
        ['buckets that cannot keep up', '屋顶哗哗往下淌，盆都接不过来了'],
        ['a gas smell without 燃气味', '楼梯间一股天然气的臭味'],
        ['a crackling fuse box', '电闸箱滋啦滋啦响，还冒蓝光'],
        ['a tap that gives shocks', '一拧水龙头就麻手'],
        ['the building dark, 整栋 and 没电 apart', '整栋楼一下子都没电了'],
        ['someone falling down', '我爸在楼道里栽倒了，叫不醒'],
        ['a fight', '楼下两个男的干架，都见血了'],
        ['things thrown now', '楼上有人往下丢瓶子'],
        ['flames', '对面阳台窜火了'],
        ['trapped and asking how long', '卡电梯里了，你们多久能到'],
        ['a child caught by a lift door', '电梯门夹住小孩的手了'],
        ['glass falling from a balcony', '阳台的玻璃掉下来了'],
    ])('%s', (_why, text) => {
        expect(isEmergency(text)).toBe(true);
    });

    it.each([
        ['a question ahead of time about a trapped lift', '万一被关在电梯里，打哪个电话'],
        ['a question ahead of time about a burst pipe', '要是水管爆了，你们多久能来'],
        ['a question about a gas smell', '如果闻到燃气味应该找谁'],
        ['a question about the charge for a cracked pipe', '水管破了找你们修收费吗'],
        ['a cracked drain pipe', '厨房的下水管裂了个口子'],
        ['outages again and again', '最近三天两头停电，也不通知'],
        ['the building dark last week', '上周整栋楼黑了两回'],
        ['a break-in last month, grumbled about to this day', '上个月楼里进了小偷，到现在也没个说法'],
        ['break-ins as a pattern', '小区接连发生入室盗窃'],
        ['a gas cylinder in the corridor', '楼道里堆着好几个煤气罐'],
        ['the gas bill', '煤气费在哪里交'],
        ['a tyre', '电动车轮胎漏气了'],
        ['a fire that could happen', '楼道的电瓶车真烧起来就完了'],
        ["a smoker's smoke", '楼下有人抽烟，烟很大'],
        ['tiles that fell over the years', '外墙瓷砖这两年老往下掉'],
        ['a shower tray', '洗澡的时候水漫到脚面，下水太慢'],
        ['a drain that smells', '地漏有股臭鸡蛋味'],
        ['a building without a lift', '我们整栋楼没电梯，爬楼太累'],
        ['a business about to close', '我的店眼看要倒闭了'],
        ['a lift door that catches a bag', '电梯门夹了我的箱子，感应不灵'],
        ['a small part that came off', '开关面板掉下来了，派个电工'],
    ])('%s is no emergency', (_why, text) => {
        expect(isEmergency(text)).toBe(false);
    });
});

describe('an owner at risk of ending their life', () => {
    const recognizer = NluRecognizer.fromKnowledge(KNOWLEDGE_DIR, tokenizer());
    it.each([
        ['a lone 想死', '想死'],
        ['life has no meaning', '活着有什么意义，真的累了'],
        ['ending it all', '我想结束这一切'],
    ])('is an emergency on the safety path, not a complaint: %s', (_why, text) => {
        expect(recognizer.recognize(text)).toMatchObject({ intent: 'emergency', sub: null, escalationReason: 'safety' });
    });

    it('a threat against the staff stays a complaint with the safety signal', () => {
        expect(recognizer.recognize('再不修好我就跟你们拼了')).toMatchObject({ intent: 'complaint', escalationReason: 'safety' });
    });
});

describe('the classifier’s guess of an emergency', () => {
    it('is not taken when the hazard word was said of another time', () => {
        const u = recognizerGuessing({ emergency: 0.6, faq: 0.3, 'complaint/service': 0.1 }).recognize('欠物业费的话会被停电吗');
        expect(u).toMatchObject({ intent: 'faq', escalationReason: null });
    });

    it('is still taken when no hazard word was found at all (the lexicon may miss danger)', () => {
        const u = recognizerGuessing({ emergency: 0.7, faq: 0.2, 'complaint/service': 0.1 }).recognize('快来人啊');
        expect(u).toMatchObject({ intent: 'emergency', escalationReason: 'emergency' });
    });
});

// escalationExcept: a word of money or work that holds 人工 asks for nobody; 人工 said as a request still does.
describe('a person is asked for only by a request, not by a word that holds one', () => {
    const asksForPerson = (text: string) => lexicon.escalations(text).includes('requested');
    it.each([
        ['labour in the fee', '物业费里面的人工费是怎么算出来的'],
        ["workers' wages", '听说保洁工人工资拖了两个月，跟我们交的钱有关系吗'],
        ['a pond in the estate', '小区人工湖的水好臭'],
    ])('%s: no request', (_why, text) => expect(asksForPerson(text)).toBe(false));
    it.each([
        ['the bare word', '人工'],
        ['a request with the fee named', '人工费的事我要找人工客服问清楚'],
        ['转人工', '别废话了，转人工'],
    ])('%s: a request', (_why, text) => expect(asksForPerson(text)).toBe(true));
});
