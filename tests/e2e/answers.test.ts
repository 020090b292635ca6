import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nlu, say, startTestServer, texts, type TestServer } from '../helpers/testServer';

let server: TestServer;
beforeAll(async () => {
    server = await startTestServer();
});
afterAll(async () => server.close());

let n = 0;
const ask = (text: string, channelData?: unknown) => say(server.url, text, { conversationId: `answers-${++n}`, userId: `owner-${n}`, channelData });

describe('answers over HTTP', () => {
    it('answers a vacancy question from the law, quoting article 944', async () => {
        const turn = await ask('家里的房子空置，物业费可以免吗');
        expect(nlu(turn)).toMatchObject({ intent: 'faq', escalate: false });
        const reply = texts(turn).join('\n');
        expect(reply).toContain('第九百四十四条');
        expect(reply).toContain('依据');
    });

    it('answers an elderly owner plainly, with the everyday comparison', async () => {
        const turn = await ask('你们收的物业费都管些什么', { owner: { birthYear: 1946 } });
        expect(nlu(turn)?.persona).toBe('elderly');
        expect(texts(turn).join('')).toContain('生活费');
    });

    it('offers buttons to a young owner', async () => {
        const turn = await ask('物业费怎么在线交呀，发个链接');
        expect(nlu(turn)?.persona).toBe('young');
        const message = turn.activities.find((a) => a.type === 'message');
        expect(message?.suggestedActions?.actions.length).toBeGreaterThan(0);
    });

    it('says it is not sure rather than quoting a weak match', async () => {
        const turn = await ask('小区游泳池的水质检测报告在哪看');
        expect(texts(turn).join('')).toMatch(/不太确定|不敢乱说|不确定|超出/);
        expect(texts(turn).join('')).not.toContain('依据');
    });

    it('gives the safety steps first in an emergency, then hands over', async () => {
        const turn = await ask('电梯突然停了，我被困在里面');
        expect(nlu(turn)).toMatchObject({ intent: 'emergency', escalate: true, escalationReason: 'emergency' });
        const kinds = turn.activities.filter((a) => a.type !== 'trace').map((a) => (a.type === 'event' ? a.name : 'message'));
        // Safety steps, then the person on duty is coming, then how long the wait should be.
        expect(kinds).toEqual(['message', 'message', 'message', 'handoff.initiate']);
        expect(texts(turn)[2]).toMatch(/分钟/);
        expect(texts(turn)[0]).toMatch(/警铃|扒门/);
        const event = turn.activities.find((a) => a.name === 'handoff.initiate');
        const ticketId = (event?.value as { ticketId: string }).ticketId;
        expect(ticketId).toMatch(/^TS-\d{8}-\d{4}$/);
        expect(await server.linli.tickets.get(ticketId)).toMatchObject({ kind: 'emergency', category: 'emergency' });
    });

    it('meets an owner who speaks of ending their life with care, the crisis line and a person, not with orders', async () => {
        for (const words of ['活着没意思，想跳楼', '我不想活了，要从楼上跳下去']) {
            const turn = await ask(words);
            expect(nlu(turn)?.escalate).toBe(true);
            const [first] = texts(turn);
            expect(first).toMatch(/担心您/);
            expect(first).toContain('12356');
            expect(first).toMatch(/110|120/);
            expect(first).not.toMatch(/远离危险区域/);
            // Told it comes first and when, never how many are queued ahead.
            expect(texts(turn).join('')).toMatch(/最优先.*分钟/s);
            expect(texts(turn).join('')).not.toMatch(/排队|前面还有/);
            expect(turn.activities.some((a) => a.name === 'handoff.initiate')).toBe(true);
        }
    });

    it('corrects a misconception kindly, with the law and without blame', async () => {
        const turn = await ask('我一年到头不在家住，物业费我不交');
        expect(nlu(turn)).toMatchObject({ intent: 'fee_arrears', sub: 'misconception' });
        const reply = texts(turn).join('');
        expect(reply).toMatch(/理解/);
        expect(reply).toContain('九百四十四');
        expect(reply).not.toMatch(/合同写了必须交|必须交/);
    });

    it('offers instalments to an owner in hardship', async () => {
        const turn = await ask('家里有人生病住院，物业费实在交不上');
        expect(nlu(turn)).toMatchObject({ intent: 'fee_arrears', sub: 'hardship' });
        expect(texts(turn).join('')).toMatch(/分3期|3期|分期/);
    });

    it('empathises and restates a complaint to confirm it', async () => {
        const turn = await ask('门口的路灯坏了一个月了你们也不修');
        expect(nlu(turn)).toMatchObject({ intent: 'complaint', sub: 'facility' });
        const reply = texts(turn).join('');
        expect(reply).toMatch(/理解|抱歉|对不起/);
        expect(reply).toContain('您是说门口的路灯坏了一个月了我们也不修');
    });

    it('carries the entities in the trace', async () => {
        const turn = await ask('我姓王，5号楼2单元1502卫生间漏水，电话13812345678');
        expect(nlu(turn)?.entities).toMatchObject({
            phones: ['13812345678'],
            address: { building: '5', unit: '2', room: '1502' },
            surname: '王',
        });
    });
});
