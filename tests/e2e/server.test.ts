import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NluTraceValue } from '../../bot/nlu/NluResult';
import { nlu, say, startTestServer, texts, type TestServer } from '../helpers/testServer';

let server: TestServer;
beforeAll(async () => {
    server = await startTestServer();
});
afterAll(async () => server.close());

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

describe('Bot Framework endpoint', () => {
    it('answers expectReplies in the body, with the nlu trace on the emulator channel', async () => {
        const turn = await say(server.url, '您好', { conversationId: 'greet' });
        expect(turn.status).toBe(200);
        expect(texts(turn)).toHaveLength(1);
        expect(texts(turn)[0]).toMatch(/您好|在/);
        expect(nlu(turn)).toMatchObject({
            intent: 'greeting',
            sub: null,
            confidence: expect.any(Number),
            persona: 'default',
            emotion: 'calm',
            escalate: false,
            escalationReason: null,
        });
        // The whole value keeps to the contract's schema (the bot builds it to the type; this checks it at run time).
        expect(NluTraceValue.safeParse(nlu(turn)).success).toBe(true);
    });

    it('welcomes an owner who joins, and says nothing when only the bot joined', async () => {
        const update = (membersAdded: { id: string }[]) =>
            post(
                JSON.stringify({
                    type: 'conversationUpdate',
                    channelId: 'webchat',
                    serviceUrl: 'http://127.0.0.1:1',
                    deliveryMode: 'expectReplies',
                    conversation: { id: `join-${membersAdded.length}` },
                    from: { id: 'owner-join', role: 'user' },
                    recipient: { id: 'linli', role: 'bot' },
                    membersAdded,
                }),
            );
        const joined = await update([{ id: 'linli' }, { id: 'owner-join' }]);
        expect(joined.status).toBe(200);
        const welcome = (joined.json.activities as { type: string; text?: string }[]).filter((a) => a.type === 'message');
        expect(welcome).toHaveLength(1);
        expect(welcome[0]?.text).toMatch(/邻里/);
        const botOnly = await update([{ id: 'linli' }]);
        expect(botOnly.status).toBe(200);
        expect((botOnly.json.activities as unknown[] | undefined) ?? []).toHaveLength(0);
    });

    it('sends no trace on other channels', async () => {
        const turn = await say(server.url, '您好', { channelId: 'webchat', conversationId: 'greet-web' });
        expect(turn.activities.some((a) => a.type === 'trace')).toBe(false);
        expect(texts(turn)).toHaveLength(1);
    });

    it('reads Traditional and full-width input as Simplified', async () => {
        const turn = await say(server.url, '　ＨＥＬＬＯ，請問在嗎？　', { conversationId: 'trad' });
        expect(nlu(turn)?.intent).toBe('greeting');
    });

    it('hands over to a person with handoff.initiate when asked', async () => {
        const turn = await say(server.url, '帮我转人工', { conversationId: 'handoff' });
        expect(nlu(turn)).toMatchObject({ intent: 'human_agent', escalate: true, escalationReason: 'requested' });
        const event = turn.activities.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
        expect(event?.value).toEqual({ reason: 'requested', ticketId: null, rule: nlu(turn)?.escalationRule, priority: 3, summary: '帮我转人工' });
        expect(nlu(turn)?.escalationRule).toMatch(/^asks_for_a_person/);
        expect(texts(turn).join('')).toMatch(/人工|同事|工作人员/);
    });

    it('escalates the second not-understood turn in a row', async () => {
        const first = await say(server.url, '量子纠缠是什么原理', { conversationId: 'nu' });
        expect(nlu(first)).toMatchObject({ escalate: false, escalationReason: null });
        expect(first.activities.some((a) => a.name === 'handoff.initiate')).toBe(false);
        const second = await say(server.url, '火星上能种土豆吗', { conversationId: 'nu' });
        expect(nlu(second)).toMatchObject({ escalate: true, escalationReason: 'not_understood' });
    });

    // Every reason in the contract, from what owners say; the counters need two turns in a row.
    it.each([
        ['emergency', 'danger_now', ['电梯里有人被困住了，快来人']],
        ['requested', 'asks_for_a_person', ['我要找人工客服']],
        ['legal_threat', 'legal_or_media_threat', ['再不处理我就去法院起诉你们']],
        ['abuse', 'insult_or_rage', ['你们物业就是一群垃圾废物']],
        ['safety', 'threat_of_harm', ['你们再这样逼我，我真的不想活了']],
        ['repeated_anger', 'angry_twice', ['凭什么又涨停车费，太离谱了', '这也太离谱了，忍无可忍']],
        ['not_understood', 'not_understood_twice', ['量子纠缠是什么原理', '火星上能种土豆吗']],
        ['unresolved', 'answer_did_not_help_twice', ['物业费怎么交', '没用，说了等于没说', '还是没用，答非所问']],
    ])('escalates %s (rule %s), on the last message only', async (reason, rule, messages) => {
        const conversationId = `reason-${reason}`;
        for (const [i, text] of messages.entries()) {
            const turn = await say(server.url, text, { conversationId });
            const last = i === messages.length - 1;
            if (!last) {
                expect(nlu(turn), text).toMatchObject({ escalate: false, escalationReason: null });
                continue;
            }
            expect(nlu(turn), text).toMatchObject({ escalate: true, escalationReason: reason, escalationRule: rule });
            const event = turn.activities.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
            expect(event?.value).toMatchObject({ reason, rule });
        }
    });

    it('offers a person when an answer did not help, before handing over', async () => {
        await say(server.url, '物业费怎么交', { conversationId: 'offer' });
        const unhelpful = await say(server.url, '没用，答非所问', { conversationId: 'offer' });
        expect(nlu(unhelpful)).toMatchObject({ escalate: false, escalationRule: 'offer_after_unhelpful_answer' });
        expect(texts(unhelpful).at(-1)).toMatch(/转人工/);
        expect(unhelpful.activities.some((a) => a.name === 'handoff.initiate')).toBe(false);
    });

    it('asks politely to shorten an over-long message and processes nothing', async () => {
        const turn = await say(server.url, '电梯'.repeat(1001), { conversationId: 'long' });
        expect(turn.status).toBe(200);
        expect(turn.activities.some((a) => a.type === 'trace')).toBe(false);
        expect(texts(turn)[0]).toMatch(/长|简短|一两句/);
    });

    it('remembers an owner persona from channelData.owner.birthYear', async () => {
        const turn = await say(server.url, '您好', { conversationId: 'persona', userId: 'grandma', channelData: { owner: { birthYear: 1948 } } });
        expect(nlu(turn)?.persona).toBe('elderly');
        const later = await say(server.url, '谢谢', { conversationId: 'persona-2', userId: 'grandma' });
        expect(nlu(later)?.persona).toBe('elderly');
    });
});

describe('malformed input', () => {
    it('refuses malformed JSON with 400 and a reason', async () => {
        const { status, json } = await post('{"type": "message",');
        expect(status).toBe(400);
        expect(JSON.stringify(json)).toMatch(/JSON/i);
    });

    it('refuses a wrong content type with 415', async () => {
        const { status, json } = await post('hello', 'text/plain');
        expect(status).toBe(415);
        expect(json.reason).toMatch(/application\/json/);
    });

    it('refuses an activity without the protocol fields with 400 naming them', async () => {
        const { status, json } = await post(JSON.stringify({ type: 'message', text: 'hi' }));
        expect(status).toBe(400);
        expect(json.reason).toMatch(/conversation/);
        expect(json.reason).toMatch(/from/);
    });

    it('refuses a non-object body and a missing serviceUrl', async () => {
        expect((await post('[1,2,3]')).status).toBe(400);
        const noServiceUrl = await post(JSON.stringify({ type: 'message', channelId: 'x', conversation: { id: 'c' }, from: { id: 'u' } }));
        expect(noServiceUrl.status).toBe(400);
        expect(noServiceUrl.json.reason).toMatch(/serviceUrl/);
    });

    it('refuses an oversized body with 413', async () => {
        const res = await fetch(`${server.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text: 'x'.repeat(400_000) }),
        });
        expect(res.status).toBe(413);
    });

    it('keeps serving after all of that', async () => {
        expect((await say(server.url, '您好', { conversationId: 'after' })).status).toBe(200);
    });
});

describe('operations routes', () => {
    it('healthz is ok and readyz reports the store', async () => {
        expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({ status: 'ready', store: 'embedded' });
    });

    it('warms up only once no turn is in flight', async () => {
        const warm = vi.spyOn(server.linli, 'warm').mockImplementation(() => undefined);
        try {
            server.linli.metrics.turnsInFlight += 1;
            server.linli.warmWhenQuiet(10, 5000);
            await new Promise((r) => setTimeout(r, 80));
            expect(warm).not.toHaveBeenCalled();
            server.linli.metrics.turnsInFlight -= 1;
            await vi.waitFor(() => expect(warm).toHaveBeenCalledTimes(1), { timeout: 1000 });
        } finally {
            warm.mockRestore();
        }
    });

    it('metrics count turns, latency, intents and escalations', async () => {
        const res = await fetch(`${server.url}/metrics`);
        expect(res.headers.get('content-type')).toMatch(/text\/plain/);
        const body = await res.text();
        expect(body).toMatch(/linli_turns_total\{channel="emulator",outcome="ok"\} [1-9]/);
        expect(body).toMatch(/linli_turn_duration_seconds_bucket/);
        expect(body).toMatch(/linli_escalations_total\{reason="requested"\} [1-9]/);
        expect(body).toMatch(/linli_intents_total\{intent="greeting"\} [1-9]/);
        expect(body).toMatch(/linli_handoffs\{status="queued"\} [1-9]/);
        expect(body).toMatch(/linli_handoffs\{status="active"\} 0/);
        expect(body).toMatch(/linli_turns_in_flight 0/); // a scrape is not a turn
    });
});
