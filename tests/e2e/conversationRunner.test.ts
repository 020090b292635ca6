import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationBench, type ConversationCase } from '../helpers/conversationCases';

// The runner of tests/conversations/cases.json, checked both ways on behaviour that holds today, so a red case
// there means the bot, not the runner: a case that holds passes, and each miss of one that does not is named.
let bench: ConversationBench;
beforeAll(async () => {
    bench = await ConversationBench.start();
});
afterAll(async () => {
    await bench.close();
});

const holds: ConversationCase = {
    id: 'runner.holds',
    bullet: 'answers',
    pins: 'nothing: a payment question is answered',
    turns: [{ say: '物业费可以用支付宝交吗', expect: { reply: { all: [['支付宝'], ['公众号', 'APP']], none: ['帮不上'] }, nlu: { intent: 'faq', escalate: false }, events: { 'handoff.initiate': 0 } } }],
    end: { events: { 'handoff.initiate': 0 }, replies: { all: [['缴']] }, tickets: [{ count: 0 }] },
};

describe('the conversation-case runner', () => {
    it('passes a case that holds', async () => {
        expect(await bench.run(holds)).toEqual([]);
    });

    it('names every expectation a case misses, with the replies, and reads tickets through the staff API', async () => {
        const misses: ConversationCase = {
            id: 'runner.misses',
            bullet: 'answers',
            pins: 'everything asked here is false today',
            owner: { phone: '13600001234' },
            turns: [
                { say: '物业费可以用支付宝交吗', expect: { reply: { all: [['不存在的词']], none: ['支付宝'] }, nlu: { intent: 'repair', dialogState: { openFlow: 'x' } } } },
                { say: '卫生间水龙头坏了要报修' },
                { say: '2栋1单元101' },
                { say: '明天上午' },
            ],
            end: {
                events: { 'handoff.initiate': 1 },
                tickets: [{ where: { kind: 'repair' }, count: 1, each: { location: { contains: [['9栋']] }, 'contact.phone': '13600001234', kind: { not: ['repair'] } } }],
            },
        };
        const failures = (await bench.run(misses)).join('\n');
        expect(failures).toContain('reply lacks (不存在的词)');
        expect(failures).toContain('must not contain «支付宝»');
        expect(failures).toContain('intent "faq", expected "repair"');
        expect(failures).toContain('dialogState.openFlow null, expected "x"');
        expect(failures).toContain('1 × handoff.initiate expected over the conversation, saw 0');
        expect(failures).toMatch(/location is "2栋1单元101", lacks \(9栋\)/);
        expect(failures).toContain('kind is "repair", expected none of');
        expect(failures).not.toContain('contact.phone');
        expect(failures).toContain('owner: 物业费可以用支付宝交吗');
    });
});
