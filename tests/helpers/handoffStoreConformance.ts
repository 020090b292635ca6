import { expect, it } from 'vitest';
import { HandoffConflictError, type Handoff } from '../../bot/handoff/Handoff';
import type { HandoffStore } from '../../bot/handoff/HandoffStore';
import { MAX_TRANSCRIPT_ENTRIES, type TranscriptStore } from '../../bot/transcripts/TranscriptStore';

function handoff(conversationId: string, over: Partial<Handoff> = {}): Handoff {
    return {
        conversationId,
        channelId: 'webchat',
        ownerId: `owner-${conversationId}`,
        status: 'queued',
        reason: 'requested',
        rule: 'asks_for_a_person',
        priority: 3,
        ticketId: null,
        persona: 'default',
        emotion: 'calm',
        summary: '电梯坏了 / 转人工',
        since: '2026-11-24T02:00:00.000Z',
        acceptedAt: null,
        closedAt: null,
        agent: null,
        outcome: null,
        reference: { channelId: 'webchat', conversation: { id: conversationId }, serviceUrl: 'http://127.0.0.1:1' },
        version: 1,
        ...over,
    };
}

/** What every HandoffStore must do, run against each implementation. */
export function handoffStoreConformance(create: () => HandoffStore): void {
    it('opens a handoff once per conversation while it is open', async () => {
        const store = create();
        const first = await store.open(handoff('c1'));
        expect(first).toMatchObject({ conversationId: 'c1', status: 'queued', version: 1 });
        const again = await store.open(handoff('c1', { reason: 'abuse', since: '2026-11-24T03:00:00.000Z' }));
        expect(again).toEqual(first);
        expect(await store.get('c1')).toEqual(first);
        expect(await store.get('nobody')).toBeNull();
    });

    it('replaces only from the version read, and moves between the status lists', async () => {
        const store = create();
        const opened = await store.open(handoff('c2'));
        const accepted = { ...opened, status: 'active' as const, agent: 'alice', version: opened.version + 1 };
        await store.replace(accepted);
        await expect(store.replace({ ...opened, status: 'active', agent: 'bob', version: opened.version + 1 })).rejects.toBeInstanceOf(HandoffConflictError);
        expect(await store.get('c2')).toMatchObject({ agent: 'alice', version: 2 });
        expect((await store.list('queued')).map((h) => h.conversationId)).not.toContain('c2');
        expect((await store.list('active')).map((h) => h.conversationId)).toContain('c2');
    });

    it('counts by status without a limit', async () => {
        const store = create();
        for (let i = 0; i < 205; i++) await store.open(handoff(`many-${i}`));
        const first = await store.get('many-0');
        await store.replace({ ...first!, status: 'active', agent: 'alice', version: first!.version + 1 });
        expect(await store.count('queued')).toBe(204);
        expect(await store.count('active')).toBe(1);
        expect(await store.count('closed')).toBe(0);
    });

    it('lists the queue by priority, then by waiting time', async () => {
        const store = create();
        await store.open(handoff('late-urgent', { priority: 1, since: '2026-11-24T02:10:00.000Z' }));
        await store.open(handoff('early', { priority: 3, since: '2026-11-24T02:00:00.000Z' }));
        await store.open(handoff('later', { priority: 3, since: '2026-11-24T02:05:00.000Z' }));
        expect((await store.list('queued')).map((h) => h.conversationId)).toEqual(['late-urgent', 'early', 'later']);
    });

    it('opens a new handoff over a closed one, with a higher version', async () => {
        const store = create();
        const opened = await store.open(handoff('c3'));
        await store.replace({ ...opened, status: 'closed', outcome: 'released', version: 2 });
        const reopened = await store.open(handoff('c3', { reason: 'abuse' }));
        expect(reopened).toMatchObject({ status: 'queued', reason: 'abuse', version: 3 });
        expect((await store.list('closed')).map((h) => h.conversationId)).not.toContain('c3');
    });

    it('keeps Chinese text and nulls as they were', async () => {
        const store = create();
        const opened = await store.open(handoff('c4', { summary: '业主说：电梯坏了，13812345678', ticketId: null }));
        expect(await store.get('c4')).toEqual(opened);
        expect(opened.summary).toBe('业主说：电梯坏了，13812345678');
    });
}

/** What every TranscriptStore must do. */
export function transcriptStoreConformance(create: () => TranscriptStore): void {
    it('appends lines in order and reads back the last ones, per conversation', async () => {
        const store = create();
        await store.append('t1', [
            { at: '2026-11-24T02:00:00.000Z', from: 'owner', text: '电梯坏了，电话13812345678' },
            { at: '2026-11-24T02:00:01.000Z', from: 'bot', text: '您是说电梯坏了，对吗？' },
        ]);
        await store.append('t1', [{ at: '2026-11-24T02:01:00.000Z', from: 'agent', agent: 'alice', text: '我来处理' }]);
        await store.append('t2', [{ at: '2026-11-24T02:02:00.000Z', from: 'owner', text: '别的对话' }]);
        expect((await store.read('t1')).map((e) => e.from)).toEqual(['owner', 'bot', 'agent']);
        expect((await store.read('t1'))[0]?.text).toBe('电梯坏了，电话13812345678');
        expect(await store.read('t1', 1)).toEqual([{ at: '2026-11-24T02:01:00.000Z', from: 'agent', agent: 'alice', text: '我来处理' }]);
        expect(await store.read('none')).toEqual([]);
    });

    it('keeps the last lines of a long conversation', async () => {
        const store = create();
        const lines = Array.from({ length: MAX_TRANSCRIPT_ENTRIES + 10 }, (_, i) => ({ at: '2026-11-24T02:00:00.000Z', from: 'owner' as const, text: `第${i}句` }));
        await store.append('long', lines.slice(0, 7));
        await store.append('long', lines.slice(7));
        const kept = await store.read('long');
        expect(kept).toHaveLength(MAX_TRANSCRIPT_ENTRIES);
        expect(kept.at(-1)?.text).toBe(`第${MAX_TRANSCRIPT_ENTRIES + 9}句`);
        expect(kept[0]?.text).toBe('第10句');
    });
}
