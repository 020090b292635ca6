import { expect, it } from 'vitest';
import { HandoffConflictError, queuePosition, type Handoff, type HandoffPosition, type HandoffStatus } from '../../bot/handoff/Handoff';
import type { HandoffStore } from '../../bot/handoff/HandoffStore';
import { MAX_TRANSCRIPT_ENTRIES, type TranscriptStore } from '../../bot/transcripts/TranscriptStore';

export function sampleHandoff(conversationId: string, over: Partial<Handoff> = {}): Handoff {
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
        owner: null,
        offeredTo: null,
        offeredAt: null,
        offeredBefore: [],
        escalatedAt: null,
        remindedAt: null,
        reference: { channelId: 'webchat', conversation: { id: conversationId }, serviceUrl: 'http://127.0.0.1:1' },
        version: 1,
        ...over,
    };
}

/** Every handoff of a status, read page by page as the API does; the ids in the order the pages gave them. */
async function pageThrough(store: HandoffStore, status: HandoffStatus, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for (let after: HandoffPosition | null = null; ; ) {
        const page = await store.page(status, limit, after);
        ids.push(...page.map((h) => h.conversationId));
        if (page.length < limit) return ids;
        after = queuePosition(page.at(-1)!);
    }
}

const minute = (n: number) => new Date(Date.parse('2026-11-24T02:00:00.000Z') + n * 60_000).toISOString();

/** What every HandoffStore must do, run against each implementation. */
export function handoffStoreConformance(create: () => HandoffStore): void {
    it('opens a handoff once per conversation while it is open', async () => {
        const store = create();
        const first = await store.open(sampleHandoff('c1'));
        expect(first).toMatchObject({ conversationId: 'c1', status: 'queued', version: 1 });
        const again = await store.open(sampleHandoff('c1', { reason: 'abuse', since: '2026-11-24T03:00:00.000Z' }));
        expect(again).toEqual(first);
        expect(await store.get('c1')).toEqual(first);
        expect(await store.get('nobody')).toBeNull();
    });

    it('keeps the desk fields (owner, offer, escalation) as written, an empty list included', async () => {
        const store = create();
        await store.open(sampleHandoff('desk'));
        expect(await store.get('desk')).toMatchObject({ offeredBefore: [], offeredTo: null, owner: null });
        const offered = { ...sampleHandoff('desk'), owner: { name: '王建国', room: '502' }, offeredTo: 'xiaowang', offeredAt: '2026-11-24T02:00:05.000Z', offeredBefore: ['xiaowang'], version: 2 };
        await store.replace(offered);
        expect(await store.get('desk')).toEqual(offered);
        await store.replace({ ...offered, offeredTo: null, offeredAt: null, offeredBefore: [], escalatedAt: '2026-11-24T02:01:00.000Z', version: 3 });
        expect(await store.get('desk')).toMatchObject({ offeredBefore: [], escalatedAt: '2026-11-24T02:01:00.000Z' });
    });

    it('replaces only from the version read, and moves between the status lists', async () => {
        const store = create();
        const opened = await store.open(sampleHandoff('c2'));
        const accepted = { ...opened, status: 'active' as const, agent: 'alice', version: opened.version + 1 };
        await store.replace(accepted);
        await expect(store.replace({ ...opened, status: 'active', agent: 'bob', version: opened.version + 1 })).rejects.toBeInstanceOf(HandoffConflictError);
        expect(await store.get('c2')).toMatchObject({ agent: 'alice', version: 2 });
        expect(await pageThrough(store, 'queued', 50)).not.toContain('c2');
        expect(await pageThrough(store, 'active', 50)).toContain('c2');
    });

    it('counts by status without a limit', async () => {
        const store = create();
        for (let i = 0; i < 205; i++) await store.open(sampleHandoff(`many-${i}`));
        const first = await store.get('many-0');
        await store.replace({ ...first!, status: 'active', agent: 'alice', version: first!.version + 1 });
        expect(await store.count('queued')).toBe(204);
        expect(await store.count('active')).toBe(1);
        expect(await store.count('closed')).toBe(0);
    });

    it('lists the queue by priority, then by waiting time', async () => {
        const store = create();
        await store.open(sampleHandoff('late-urgent', { priority: 1, since: '2026-11-24T02:10:00.000Z' }));
        await store.open(sampleHandoff('early', { priority: 3, since: '2026-11-24T02:00:00.000Z' }));
        await store.open(sampleHandoff('later', { priority: 3, since: '2026-11-24T02:05:00.000Z' }));
        expect(await pageThrough(store, 'queued', 50)).toEqual(['late-urgent', 'early', 'later']);
    });

    it('puts priority 1 and 2 ahead of everything else, then the rest oldest first whatever their priority', async () => {
        const store = create();
        await store.open(sampleHandoff('p5-oldest', { priority: 5, since: minute(0) }));
        await store.open(sampleHandoff('p3', { priority: 3, since: minute(1) }));
        await store.open(sampleHandoff('p4', { priority: 4, since: minute(2) }));
        await store.open(sampleHandoff('p2', { priority: 2, since: minute(3) }));
        await store.open(sampleHandoff('p1-late', { priority: 1, since: minute(5) }));
        await store.open(sampleHandoff('p1-early', { priority: 1, since: minute(4) }));
        expect(await pageThrough(store, 'queued', 2)).toEqual(['p1-early', 'p1-late', 'p2', 'p5-oldest', 'p3', 'p4']);
        expect(await store.countsByPriority('queued')).toEqual({ 1: 2, 2: 1, 3: 1, 4: 1, 5: 1 });
        expect(await store.countsByPriority('active')).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 });
        const p2 = (await store.get('p2'))!;
        expect(await store.countBefore('queued', queuePosition(p2))).toBe(2);
        await store.replace({ ...p2, status: 'active', agent: 'alice', version: p2.version + 1 });
        expect(await store.countsByPriority('queued')).toMatchObject({ 2: 0 });
        expect(await store.countsByPriority('active')).toMatchObject({ 2: 1 });
    });

    it('shows an emergency first after a flood of 250 low-priority handoffs, and pages through each exactly once', async () => {
        const store = create();
        for (let i = 0; i < 250; i++) await store.open(sampleHandoff(`flood-${i}`, { priority: 3 + (i % 3), since: minute(i) }));
        await store.open(sampleHandoff('emergency', { priority: 1, reason: 'emergency', since: minute(300) }));
        expect((await store.page('queued', 50, null))[0]?.conversationId).toBe('emergency');
        const ids = await pageThrough(store, 'queued', 50);
        expect(ids).toHaveLength(251);
        expect(new Set(ids).size).toBe(251);
        expect(ids.slice(1)).toEqual(Array.from({ length: 250 }, (_, i) => `flood-${i}`));
        expect(await store.count('queued')).toBe(251);
    });

    it('pages through handoffs queued in the same millisecond by conversation id, none twice or missed', async () => {
        const store = create();
        const names = Array.from({ length: 23 }, (_, i) => `same-${String.fromCharCode(97 + ((i * 7) % 23))}`);
        for (const name of names) await store.open(sampleHandoff(name, { since: minute(0) }));
        expect(await pageThrough(store, 'queued', 4)).toEqual([...names].sort());
        const middle = (await store.get('same-k'))!;
        expect(await store.countBefore('queued', queuePosition(middle))).toBe(10);
    });

    it('keeps its place between pages while handoffs come and go (a keyset cursor)', async () => {
        const store = create();
        for (let i = 0; i < 20; i++) await store.open(sampleHandoff(`k-${String(i).padStart(2, '0')}`, { since: minute(i) }));
        const first = await store.page('queued', 5, null);
        const cursor = queuePosition(first.at(-1)!);
        // Meanwhile: an emergency and an older ordinary request arrive (both sort before the cursor), a later one
        // arrives (after it), and the cursor's own handoff and one on the next page are accepted.
        await store.open(sampleHandoff('new-urgent', { priority: 1, since: minute(30) }));
        await store.open(sampleHandoff('new-early', { since: minute(-5) }));
        await store.open(sampleHandoff('new-late', { since: minute(40) }));
        for (const id of ['k-04', 'k-06']) {
            const h = (await store.get(id))!;
            await store.replace({ ...h, status: 'active', agent: 'alice', version: h.version + 1 });
        }
        const rest: string[] = [];
        for (let after: HandoffPosition | null = cursor; ; ) {
            const page = await store.page('queued', 5, after);
            rest.push(...page.map((h) => h.conversationId));
            if (page.length < 5) break;
            after = queuePosition(page.at(-1)!);
        }
        const expected = Array.from({ length: 15 }, (_, i) => `k-${String(i + 5).padStart(2, '0')}`).filter((id) => id !== 'k-06');
        // Nothing of the first page again, nothing that was after the cursor skipped; what arrived after it is seen;
        // what arrived before it waits for the next read from the top (where it is first: the console re-reads).
        expect(rest).toEqual([...expected, 'new-late']);
        const top = await store.page('queued', 2, null);
        expect(top.map((h) => h.conversationId)).toEqual(['new-urgent', 'new-early']);
    });

    it('opens a new handoff over a closed one, with a higher version', async () => {
        const store = create();
        const opened = await store.open(sampleHandoff('c3'));
        await store.replace({ ...opened, status: 'closed', outcome: 'released', version: 2 });
        const reopened = await store.open(sampleHandoff('c3', { reason: 'abuse' }));
        expect(reopened).toMatchObject({ status: 'queued', reason: 'abuse', version: 3 });
        expect(await pageThrough(store, 'closed', 50)).not.toContain('c3');
    });

    it('keeps Chinese text and nulls as they were', async () => {
        const store = create();
        const opened = await store.open(sampleHandoff('c4', { summary: '业主说：电梯坏了，13812345678', ticketId: null }));
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
