import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-01234567890';
let server: TestServer;

beforeAll(async () => {
    server = await startTestServer({ AGENT_TOKENS: `alice:${ALICE},bob:${BOB}` });
}, 30_000);
afterAll(async () => server?.close());

async function call(method: string, path: string, body?: unknown, token: string | null = ALICE): Promise<{ status: number; json: Record<string, unknown> & { [k: string]: unknown } }> {
    const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

interface Card {
    overall: number;
    steps: { step: string; score: number; evidence: string[]; reason: string; model: string | null }[];
    forbidden: { phrase: string; turn: number; kind: string }[];
    mood: string;
    goalMet: boolean;
    tips: string[];
}

const GOOD = [
    '您好，先别急，您慢慢说。是哪栋楼的电梯？从什么时候开始停的？有没有人被困？',
    '每天爬18楼确实太受累了，这个月还坏了三次，是我们没做好，对不起。我确认一下：您是说7号楼1单元的电梯从昨天晚上九点多停到现在，这个月已经第三次了，对吗？',
    '我现在就登记工单，维保师傅今天下午两点前到现场抢修，还要做一次全面检查查清反复坏的原因。修好以后今晚七点我给您回个电话，下周一我再回访一次。',
];
const BAD = ['电梯是维保公司负责的，这不归我们管。', '我们也没办法，您着急也没用，等着吧。', '合同写了必须交，不交就起诉。'];

describe('rehearsal routes', () => {
    it('lists the scenarios, the six required ids among them, behind the staff token', async () => {
        expect((await call('GET', '/api/rehearsals/scenarios', undefined, null)).status).toBe(401);
        expect((await call('GET', '/api/rehearsals/scenarios', undefined, 'wrong-token-0123456789')).status).toBe(401);
        const { status, json } = await call('GET', '/api/rehearsals/scenarios');
        expect(status).toBe(200);
        const list = json as unknown as { id: string; title: string; persona: string }[];
        expect(list.map((s) => s.id)).toEqual(expect.arrayContaining(['lift_complaint', 'vacant_unit', 'hardship_arrears', 'service_arrears', 'elderly_payment', 'leak_repair']));
        expect(list.length).toBeGreaterThan(6);
        for (const s of list) expect(s.title.length).toBeGreaterThan(0);
    });

    it('refuses bad starts: unknown scenario 404, unknown persona or a non-integer seed 400', async () => {
        expect((await call('POST', '/api/rehearsals', { scenario: 'no_such_thing' })).status).toBe(404);
        expect((await call('POST', '/api/rehearsals', { scenario: 'lift_complaint', persona: 'martian' })).status).toBe(400);
        expect((await call('POST', '/api/rehearsals', { scenario: 'lift_complaint', seed: 1.5 })).status).toBe(400);
        expect((await call('POST', '/api/rehearsals', { scenario: 'lift_complaint', seed: '7' })).status).toBe(400);
        expect((await call('POST', '/api/rehearsals', '{not json')).status).toBe(400);
        expect((await call('POST', '/api/rehearsals', { scenario: 'lift_complaint' }, null)).status).toBe(401);
    });

    it('plays a good rehearsal to a satisfied owner and scores it high, with evidence from the trainee words', async () => {
        const started = await call('POST', '/api/rehearsals', { scenario: 'lift_complaint', seed: 11 });
        expect(started.status).toBe(201);
        const owner = started.json.owner as { text: string; mood: string };
        expect(started.json).toMatchObject({ scenario: 'lift_complaint', persona: 'default' });
        expect(owner.mood).toBe('angry');
        const id = String(started.json.id);
        let last: { owner: { text: string; mood: string } | null; ended: boolean } = { owner: null, ended: false };
        for (const text of GOOD) {
            const turn = await call('POST', `/api/rehearsals/${id}/turns`, { text });
            expect(turn.status).toBe(200);
            last = turn.json as unknown as typeof last;
        }
        expect(last.ended).toBe(true);
        expect(last.owner?.mood).toBe('satisfied');
        // After the owner has ended, turns are still taken (and scored) with no owner line.
        const after = await call('POST', `/api/rehearsals/${id}/turns`, { text: '感谢您的耐心，祝您生活愉快。' });
        expect(after).toEqual({ status: 200, json: { owner: null, ended: true } });
        const finished = await call('POST', `/api/rehearsals/${id}/finish`);
        expect(finished.status).toBe(200);
        const card = finished.json as unknown as Card;
        expect(card.overall).toBeGreaterThanOrEqual(80);
        expect(card.steps.map((s) => s.step)).toEqual(['listen', 'empathise', 'clarify', 'resolve', 'follow_up']);
        const words = [...GOOD, '感谢您的耐心，祝您生活愉快。'].join('\n');
        for (const step of card.steps) {
            if (step.score >= 50) expect(step.evidence.length, step.step).toBeGreaterThan(0);
            for (const quote of step.evidence) if (quote !== 'missing') expect(words.includes(quote) && quote.length >= 4, quote).toBe(true);
        }
        expect(card).toMatchObject({ forbidden: [], mood: 'satisfied', goalMet: true });
        expect(card.tips.length).toBeGreaterThanOrEqual(1);
        // Finishing twice gives the same card; a turn after finish is a conflict.
        expect((await call('POST', `/api/rehearsals/${id}/finish`)).json).toEqual(card);
        expect((await call('POST', `/api/rehearsals/${id}/turns`, { text: '还在吗？' })).status).toBe(409);
        const one = await call('GET', `/api/rehearsals/${id}`, undefined, BOB);
        expect(one.status).toBe(200);
        expect(one.json).toMatchObject({ id, trainee: 'alice', scorecard: card });
        expect((one.json.transcript as { role: string }[]).filter((t) => t.role === 'trainee')).toHaveLength(GOOD.length + 1);
    });

    it('a bad trainee meets a different owner, who gives up, and a card flagging each forbidden phrase at its turn', async () => {
        const id = String((await call('POST', '/api/rehearsals', { scenario: 'lift_complaint', seed: 11 }, BOB)).json.id);
        const owners: string[] = [];
        for (const text of BAD) {
            const turn = await call('POST', `/api/rehearsals/${id}/turns`, { text }, BOB);
            const reply = turn.json as unknown as { owner: { text: string; mood: string } | null };
            if (reply.owner) owners.push(reply.owner.text);
        }
        const card = (await call('POST', `/api/rehearsals/${id}/finish`, undefined, BOB)).json as unknown as Card;
        expect(card.mood).toBe('gave_up');
        expect(card.overall).toBeLessThan(20);
        expect(card.forbidden).toEqual(expect.arrayContaining([{ phrase: '这不归我们管', turn: 0, kind: 'phrase' }, { phrase: '合同写了必须交', turn: 2, kind: 'phrase' }]));
        expect(card.steps.find((s) => s.step === 'resolve')?.model).toMatch(/\S{4,}/);
        expect(owners.length).toBeGreaterThan(0);
    });

    it('refuses empty and over-long turns, unknown rehearsals, and lists by trainee', async () => {
        const id = String((await call('POST', '/api/rehearsals', { scenario: 'leak_repair' })).json.id);
        expect((await call('POST', `/api/rehearsals/${id}/turns`, { text: '' })).status).toBe(400);
        expect((await call('POST', `/api/rehearsals/${id}/turns`, { text: '   ' })).status).toBe(400);
        expect((await call('POST', `/api/rehearsals/${id}/turns`, { text: '好'.repeat(1001) })).status).toBe(400);
        expect((await call('POST', `/api/rehearsals/${id}/turns`, { text: '好'.repeat(1000) })).status).toBe(200);
        expect((await call('POST', `/api/rehearsals/${id}/turns`, {})).status).toBe(400);
        expect((await call('POST', '/api/rehearsals/RH-nope/turns', { text: '您好' })).status).toBe(404);
        expect((await call('POST', '/api/rehearsals/RH-nope/finish')).status).toBe(404);
        expect((await call('GET', '/api/rehearsals/RH-nope')).status).toBe(404);
        const bobs = (await call('GET', '/api/rehearsals?trainee=bob')).json.rehearsals as { trainee: string; scorecard: unknown }[];
        expect(bobs.length).toBeGreaterThan(0);
        expect(bobs.every((r) => r.trainee === 'bob' && r.scorecard !== null)).toBe(true);
        const all = (await call('GET', '/api/rehearsals')).json.rehearsals as { trainee: string }[];
        expect(new Set(all.map((r) => r.trainee))).toEqual(new Set(['alice', 'bob']));
        expect((await call('GET', '/api/rehearsals', undefined, null)).status).toBe(401);
    });

    it('takes two turns sent at once in order, and replays the same owner from the same seed', async () => {
        const a = String((await call('POST', '/api/rehearsals', { scenario: 'hardship_arrears', seed: 5 })).json.id);
        const b = String((await call('POST', '/api/rehearsals', { scenario: 'hardship_arrears', seed: 5 })).json.id);
        const turns = ['您是哪一户？欠了多久？', '我确认一下：您是说14号楼603欠了四个月，对吗？'];
        await Promise.all(turns.map((text) => call('POST', `/api/rehearsals/${a}/turns`, { text })));
        for (const text of turns) await call('POST', `/api/rehearsals/${b}/turns`, { text });
        const ta = (await call('GET', `/api/rehearsals/${a}`)).json.transcript as { role: string; text: string }[];
        const tb = (await call('GET', `/api/rehearsals/${b}`)).json.transcript as { role: string; text: string }[];
        expect(ta.map((t) => t.role)).toEqual(['owner', 'trainee', 'owner', 'trainee', 'owner']);
        expect(ta.filter((t) => t.role === 'trainee').map((t) => t.text)).toEqual(turns);
        expect(ta.map((t) => t.text)).toEqual(tb.map((t) => t.text));
    });
});
