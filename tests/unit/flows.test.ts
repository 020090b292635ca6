import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoSaveStateMiddleware, ConversationState, MemoryStorage, UserState, type Activity, type Middleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config';
import { Linli } from '../../bot/Linli';
import { createLogger } from '../../bot/logger';

/**
 * Table-driven dialog tests: every flow built from scripts/, in every persona, through DialogTestClient with the real
 * understanding in front (the same reading the bot does each turn) and a clock fixed at Tuesday 10:00 in Beijing.
 */
const NOW = new Date('2026-11-24T02:00:00Z');
let linli: Linli;

beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-flows-')), LOG_LEVEL: 'silent' });
    linli = await Linli.create(config, createLogger('silent'), { clock: () => NOW });
});
afterAll(async () => linli.close());

const BIRTH_YEAR = { default: undefined, elderly: 1950, young: 2001 } as const;
type Persona = keyof typeof BIRTH_YEAR;

function client(persona: Persona, owner: Record<string, string> = {}): { send: (text: string) => Promise<string> } {
    const storage = new MemoryStorage();
    const conversationState = new ConversationState(storage);
    const userState = new UserState(storage);
    const reader = linli.createReader(conversationState, userState, 'DialogState');
    const reading: Middleware = {
        onTurn: async (context, next) => {
            if (context.activity.type === 'message') await reader.read(context);
            await next();
        },
    };
    const test = new DialogTestClient('test', linli.dialog, undefined, [new AutoSaveStateMiddleware(userState), reading], conversationState);
    const channelData = { owner: { ...owner, ...(BIRTH_YEAR[persona] ? { birthYear: BIRTH_YEAR[persona] } : {}) } };
    return {
        send: async (text: string) => {
            const replies: string[] = [];
            let reply = (await test.sendActivity({ type: 'message', text, channelData } as Partial<Activity>)) as Partial<Activity> | undefined;
            while (reply) {
                if (reply.type === 'message' && reply.text) replies.push(reply.text);
                reply = test.getNextReply() as Partial<Activity> | undefined;
            }
            return replies.join('\n');
        },
    };
}

interface Case {
    name: string;
    persona: Persona;
    owner?: Record<string, string>;
    /** [owner says, the reply must match] */
    turns: [string, RegExp][];
    ticket?: Record<string, unknown>;
    notSaid?: RegExp;
}

const FLOWS: Case[] = [
    {
        name: 'complaint, step by step',
        persona: 'default',
        turns: [
            ['电梯三天两头坏，住户意见很大', /理解|抱歉.*您是说电梯三天两头坏，住户意见很大，对吗？/s],
            ['对的', /位置/],
            ['2号楼', /电话/],
            ['13812345678', /TS-20261124-\d{4}.*工程部.*今天上午10点半.*明天上午10点.*回访/s],
        ],
        ticket: { kind: 'complaint', category: 'facility', location: '2号楼', contact: { phone: '13812345678', building: '2' } },
    },
    {
        name: 'complaint, elderly owner: warm words',
        persona: 'elderly',
        turns: [
            ['保洁好几天没来扫楼梯了', /您别着急|让您操心.*对吧？/s],
            ['是的', /哪个地方/],
            ['6号楼', /电话号码/],
            ['我电话13900002222', /单号是TS-.*客服部/s],
        ],
        ticket: { category: 'service' },
    },
    {
        name: 'complaint, young owner: brief',
        persona: 'young',
        turns: [
            ['这个月物业费多收了两百', /你是说这个月物业费多收了两百，对吗？/],
            ['对', /具体位置/],
            ['5栋', /手机号/],
            ['13700001111', /已登记，工单号TS-.*财务部/s],
        ],
        ticket: { category: 'fee' },
    },
    {
        name: 'complaint with everything in the first message: nothing asked again',
        persona: 'default',
        owner: { phone: '13811112222' },
        turns: [
            ['5号楼2单元的门禁坏了半个月了', /您是说5号楼2单元的门禁坏了半个月了，对吗？/],
            ['对', /TS-.*工程部/s],
        ],
        ticket: { location: '5号楼2单元', contact: { phone: '13811112222', building: '5', unit: '2' } },
        notSaid: /位置|电话/,
    },
    {
        name: 'complaint restated wrongly: the owner corrects it',
        persona: 'default',
        turns: [
            ['地下室一直积水，也没人处理', /您是说地下室一直积水/],
            ['不对', /再简单说一下/],
            ['是车库B区积水，车都泡了', /位置/],
            ['车库B区', /电话/],
            ['13812345678', /TS-/],
        ],
        ticket: { description: '是车库B区积水，车都泡了' },
    },
    {
        name: 'repair with the charging rule, a time from the first message',
        persona: 'default',
        turns: [
            ['卧室灯不亮了，能约明天上午吗', /(安排报修|登记维修).*几号楼/s],
            ['3栋501', /联系电话/],
            ['13800001234', /维修单TS-.*先报价.*确认后再施工.*管理处缴纳.*不要交给维修师傅.*回访/s],
        ],
        ticket: { kind: 'repair', category: 'facility', request: '预约上门时间：明天上午', contact: { phone: '13800001234' }, followUp: { trigger: 'scheduled' } },
    },
    {
        name: 'repair of a leak rain can cause, elderly: follow-up after the first rain',
        persona: 'elderly',
        turns: [
            ['卧室窗户漏水了', /派师傅来修.*几号楼几单元几室/s],
            ['8号楼1单元302', /什么时候过来方便/],
            ['明天上午', /电话号码/],
            ['13900001234', /单号TS-.*先说清楚要多少钱|先说要多少钱/s],
        ],
        ticket: { kind: 'repair', followUp: { trigger: 'after_first_rain', dueAt: null } },
    },
    {
        name: 'urgent repair: the owner\'s words mark it urgent (follow-up within 24 hours)',
        persona: 'default',
        turns: [
            ['门禁坏了进不去，麻烦尽快来修', /几号楼几单元几室/],
            ['2号楼大门', /什么时候上门/],
            ['明天上午', /联系电话/],
            ['不方便留', /不留电话也可以.*维修单TS-.*不向个人收费/s],
        ],
        // Urgent: the visit is due 24 hours after the ticket, not 72.
        ticket: { kind: 'repair', followUp: { trigger: 'scheduled', dueAt: '2026-11-25T02:00:00.000Z' } },
    },
    {
        name: 'repair, young: a time asked again until it is one',
        persona: 'young',
        turns: [
            ['马桶堵了，需要疏通', /马上安排维修.*具体位置/s],
            ['9号楼1203', /什么时间上门/],
            ['嗯', /没听明白时间/],
            ['随时都可以', /手机号/],
            ['13512345678', /维修单TS-.*别给师傅/s],
        ],
        ticket: { request: '预约上门时间：随时都可以', contact: { phone: '13512345678' } },
    },
    {
        name: 'a dripping tap is a repair, not a leak rain causes: the usual follow-up',
        persona: 'default',
        owner: { phone: '13811112222' },
        turns: [
            ['厨房水龙头一直滴水', /几号楼/],
            ['6栋402', /什么时候上门/],
            ['明天下午', /维修单TS-.*先报价/s],
        ],
        ticket: { kind: 'repair', followUp: { trigger: 'scheduled' } },
    },
    {
        name: 'arrears from hardship: instalments offered, an installment ticket for staff',
        persona: 'default',
        turns: [
            ['最近经济困难，交不上物业费了', /理解.*分3期.*不收滞纳金.*电话/s],
            ['13655556666', /分期申请.*TS-.*明天上午10点前/s],
        ],
        ticket: { kind: 'installment', category: 'fee', request: '申请分期补交物业费' },
    },
    {
        name: 'arrears from dissatisfaction: apology, remediation plan within 24 hours',
        persona: 'elderly',
        turns: [
            ['垃圾都没人收，物业费不交了', /对不起.*对吧？/s],
            ['对', /位置/],
            ['3号楼后面', /单号TS-.*明天上午10点前告诉您怎么改.*交费的事后面再说/s],
        ],
        ticket: { kind: 'complaint', category: 'service', request: '整改后再缴费' },
    },
    {
        name: 'arrears from hardship, elderly: plain words, no pressure',
        persona: 'elderly',
        turns: [
            ['老伴住院了，这个月物业费交不上', /别着急上火.*分期.*分3次慢慢交.*不收滞纳金/s],
            ['13566667777', /申请交上去了.*不收滞纳金/s],
        ],
        ticket: { kind: 'installment' },
        notSaid: /合同写了必须交|起诉|法院/,
    },
    {
        name: 'arrears from hardship, young: short',
        persona: 'young',
        turns: [
            ['刚失业了，物业费能分期吗', /一般3期、免滞纳金/],
            ['13512340000', /分期申请已提交/],
        ],
        ticket: { kind: 'installment' },
    },
    {
        name: 'arrears from dissatisfaction, default',
        persona: 'default',
        turns: [
            ['保洁根本不打扫，物业费我不交', /非常抱歉.*您是说保洁根本不打扫/s],
            ['对', /位置/],
            ['11号楼', /TS-.*整改方案.*满意了我们再商量缴费/s],
        ],
        ticket: { category: 'service' },
    },
    {
        name: 'arrears from dissatisfaction, young',
        persona: 'young',
        turns: [
            ['路灯不修好我就不交物业费', /抱歉让你不满意了/],
            ['对的', /位置/],
            ['北门', /已登记TS-.*验收满意后再谈缴费/s],
        ],
    },
    {
        name: 'emergency: safety steps, an emergency ticket',
        persona: 'default',
        turns: [['厨房一股煤气味', /不要开关任何电器.*打开门窗.*值班/s]],
        ticket: { kind: 'emergency', category: 'emergency' },
    },
    {
        name: 'emergency, elderly',
        persona: 'elderly',
        turns: [['楼道着火了', /您先别慌.*119/s]],
        ticket: { kind: 'emergency' },
    },
    {
        // Every row here is the same owner (DialogTestClient's user), so by now they have tickets of their own.
        name: 'ticket status, young: own tickets, status in words, next deadline',
        persona: 'young',
        turns: [['我的报修进度怎么样了', /查到了：\n· 工单TS-20261124-\d{4}（.*）：已受理，等待处理，响应时限：/]],
    },
];

describe('flows from scripts/ (DialogTestClient)', () => {
    it.each(FLOWS)('$name ($persona)', async ({ persona, owner, turns, ticket, notSaid }) => {
        const ownerId = 'user1';
        const before = new Set((await linli.tickets.list({ ownerId })).map((t) => t.id));
        const chat = client(persona, owner);
        for (const [text, expected] of turns) {
            const reply = await chat.send(text);
            expect(reply, `after "${text}"`).toMatch(expected);
            if (notSaid) expect(reply).not.toMatch(notSaid);
        }
        if (ticket) {
            const created = (await linli.tickets.list({ ownerId })).filter((t) => !before.has(t.id));
            expect(created).toHaveLength(1);
            expect(created[0]).toMatchObject(ticket);
        }
    });

    it('never uses a phrase its script forbids', async () => {
        const chat = client('default');
        const said = [await chat.send('你们的物业费凭什么这么贵'), await chat.send('对'), await chat.send('1号楼'), await chat.send('13812345678')].join('\n');
        expect(said).not.toMatch(/合同写了必须交|这不归我们管|没办法/);
    });
});

describe('interruptions', () => {
    it('"算了" ends a flow cleanly, and the next message starts fresh', async () => {
        const chat = client('default');
        await chat.send('楼道的灯坏了好久没人修');
        expect(await chat.send('算了')).toMatch(/先不登记/);
        expect(await chat.send('你好')).toMatch(/您好|在/);
    });

    it('a question midway is answered, then the pending question is asked again', async () => {
        const chat = client('default');
        await chat.send('门禁系统坏了半个月了一直没修好');
        await chat.send('对');
        const reply = await chat.send('对了，交物业费有哪些方式');
        expect(reply).toMatch(/支付宝/);
        expect(reply).toMatch(/位置/);
        expect(await chat.send('7号楼')).toMatch(/电话/);
    });

    it('an emergency midway ends the flow with the safety steps', async () => {
        const chat = client('default');
        await chat.send('电梯老是出问题');
        expect(await chat.send('有人被困在电梯里了')).toMatch(/警铃|扒门/);
    });
});
