import { expect, it } from 'vitest';
import type { OutcomeRef } from '../../bot/outcomes/Outcome';
import type { OutcomeStore } from '../../bot/outcomes/OutcomeStore';

const at = (minutes: number) => new Date(Date.parse('2026-11-24T02:00:00.000Z') + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();
const ref = (conversationId: string): OutcomeRef => ({ conversationId, channelId: 'webchat', ownerId: `owner-${conversationId}` });

/** What every OutcomeStore must do, run against each implementation. */
export function outcomeStoreConformance(create: () => OutcomeStore): void {
    it('keeps a conversation from its first reply through a handoff, a reopen and a rating', async () => {
        const store = create();
        // The handoff of the first turn is written before the turn's own record of its start and first reply.
        await store.record(ref('c1'), at(1), { handoff: { at: iso(1), reason: 'requested', priority: 3 } });
        const begun = await store.record(ref('c1'), at(1), { startedAt: iso(0), firstBotReplyAt: iso(1) }, at(0));
        expect(begun).toMatchObject({ startedAt: iso(0), firstBotReplyAt: iso(1), handoffs: 1, handoff: { reason: 'requested' } });
        await store.record(ref('c1'), at(1), { accepted: { at: iso(5), agent: 'alice' } });
        await store.record(ref('c1'), at(1), { humanReplyAt: iso(6) });
        await store.record(ref('c1'), at(1), { humanReplyAt: iso(9) });
        await store.record(ref('c1'), at(1), { resolved: { at: iso(20), how: 'agent_released' } });
        // Asking for a person again after it was settled reopens it; the first handoff stays the first.
        await store.record(ref('c1'), at(30), { handoff: { at: iso(30), reason: 'abuse', priority: 2 } });
        await store.record(ref('c1'), at(1), { satisfaction: { score: 4, at: iso(40) } });
        const [record, ...rest] = await store.list(at(-1), at(60));
        expect(rest).toEqual([]);
        expect(record).toMatchObject({
            conversationId: 'c1',
            channelId: 'webchat',
            ownerId: 'owner-c1',
            startedAt: iso(0),
            handoff: { at: iso(1), reason: 'requested', priority: 3 },
            handoffs: 2,
            acceptedAt: iso(5),
            agent: 'alice',
            firstHumanReplyAt: iso(6),
            resolution: null,
            reopens: 1,
            satisfaction: { score: 4, at: iso(40) },
        });
        expect(record!.version).toBe(8);
    });

    it('begins a new record when the conversation starts afresh, and files later events under the one under way', async () => {
        const store = create();
        await store.record(ref('c2'), at(0), { startedAt: iso(0), firstBotReplyAt: iso(0) }, at(0));
        await store.record(ref('c2'), at(600), { startedAt: iso(600), firstBotReplyAt: iso(601) }, at(600));
        // A ticket written in the first conversation is closed later: the first record takes it.
        await store.record(ref('c2'), at(10), { resolved: { at: iso(900), how: 'ticket_closed' } });
        await store.record(ref('c2'), at(700), { reopened: true });
        const records = await store.list(at(-1), at(1000));
        expect(records.map((r) => [r.startedAt, r.resolution?.how ?? null, r.reopens])).toEqual([
            [iso(0), 'ticket_closed', 0],
            [iso(600), null, 1],
        ]);
        expect(new Set(records.map((r) => r.id)).size).toBe(2);
        // Nothing on record before its start: the event opens one of its own.
        const orphan = await store.record(ref('c3'), at(50), { satisfaction: { score: 2, at: iso(50) } });
        expect(orphan).toMatchObject({ startedAt: iso(50), firstBotReplyAt: null, satisfaction: { score: 2 } });
    });

    it('lists records by when they started, the end excluded', async () => {
        const store = create();
        for (const [id, minute] of [['a', 0], ['b', 30], ['c', 60]] as const) await store.record(ref(id), at(minute), { startedAt: iso(minute) }, at(minute));
        expect((await store.list(at(0), at(60))).map((r) => r.conversationId)).toEqual(['a', 'b']);
        expect(await store.list(at(61), at(120))).toEqual([]);
    });

    it("lists one owner's conversations newest first, told apart by channel and owner id together", async () => {
        const store = create();
        const mine = (conversationId: string, channelId = 'webchat'): OutcomeRef => ({ conversationId, channelId, ownerId: 'owner:1' });
        await store.record(mine('visit-1'), at(0), { startedAt: iso(0) }, at(0));
        await store.record(mine('visit-2'), at(60), { startedAt: iso(60) }, at(60));
        await store.record(mine('visit-3'), at(120), { startedAt: iso(120), handoff: { at: iso(121), reason: 'requested', priority: 3 } }, at(120));
        // The same id on another channel, and another owner on this one, are other people.
        await store.record(mine('wx:owner:1', 'wechat'), at(30), { startedAt: iso(30) }, at(30));
        await store.record({ conversationId: 'other', channelId: 'webchat', ownerId: 'owner:2' }, at(90), { startedAt: iso(90) }, at(90));
        const history = await store.ofOwner('webchat', 'owner:1', 10);
        expect(history.map((r) => r.conversationId)).toEqual(['visit-3', 'visit-2', 'visit-1']);
        expect(history[0]?.handoff?.reason).toBe('requested');
        expect((await store.ofOwner('webchat', 'owner:1', 2)).map((r) => r.conversationId)).toEqual(['visit-3', 'visit-2']);
        expect((await store.ofOwner('wechat', 'owner:1', 10)).map((r) => r.conversationId)).toEqual(['wx:owner:1']);
        expect(await store.ofOwner('webchat', 'nobody', 10)).toEqual([]);
    });

    it('keeps knowledge gaps by time, within [from, to)', async () => {
        const store = create();
        await store.addGap({ id: 'g2', at: iso(20), channelId: 'wechat', kind: 'out_of_scope', text: '今天股市怎么样' });
        await store.addGap({ id: 'g1', at: iso(10), channelId: 'webchat', kind: 'unsure', text: '充电桩怎么申请 138****5678' });
        await store.addGap({ id: 'g3', at: iso(60), channelId: 'webchat', kind: 'unsure', text: '游泳池几点开' });
        expect((await store.gaps(at(0), at(60))).map((g) => [g.id, g.kind, g.text])).toEqual([
            ['g1', 'unsure', '充电桩怎么申请 138****5678'],
            ['g2', 'out_of_scope', '今天股市怎么样'],
        ]);
    });
}
