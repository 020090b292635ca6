import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { ConversationEndedError } from '../../bot/webchat/ConversationEndedError';
import { MAX_ACTIVITIES_PER_CONVERSATION, type ActivityPush, type ConversationLog, type WebConversation } from '../../bot/webchat/ConversationLog';

const conversation = (): WebConversation => ({
    id: randomUUID(),
    ownerId: `dl_${randomUUID().replace(/-/g, '')}`,
    started: false,
    ownerSpoke: false,
    createdAt: '2026-12-01T00:00:00.000Z',
});

const message = (text: string) => ({ type: 'message', text, from: { id: 'o', name: '', role: 'user' } });

/** Waits until a push arrives (a Redis subscriber may still be subscribing when a test starts). */
async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 10));
    }
}

/** What every ConversationLog (embedded, Redis) must do. */
export function conversationLogConformance(create: () => ConversationLog): void {
    const opened: ConversationLog[] = [];
    const open = () => {
        const log = create();
        opened.push(log);
        return log;
    };
    afterEach(async () => {
        await Promise.all(opened.splice(0).map((log) => log.close()));
    });

    it('keeps conversations: created and read; an unknown one is null', async () => {
        const log = open();
        const c = conversation();
        await log.create(c);
        expect(await log.get(c.id)).toEqual(c);
        expect(await log.get('no-such-conversation')).toBeNull();
    });

    it('marks a conversation started for exactly one of many callers at once, keeping the rest of its record', async () => {
        const log = open();
        const c = { ...conversation(), ownerName: '王阿姨', profile: { name: '王阿姨', building: '5', room: '1502' } };
        await log.create(c);
        const marks = await Promise.all(Array.from({ length: 12 }, () => log.markStarted(c.id)));
        expect(marks.filter((m) => m?.first)).toHaveLength(1);
        for (const m of marks) expect(m?.conversation).toEqual({ ...c, started: true });
        expect(await log.get(c.id)).toEqual({ ...c, started: true });
        expect(await log.markStarted('no-such-conversation')).toBeNull();
    });

    it('refuses to append to a conversation that has no record (ended), storing nothing; marks the owner spoke with an append', async () => {
        const log = open();
        const gone = conversation();
        await expect(log.append(gone, message('anyone there?'))).rejects.toBeInstanceOf(ConversationEndedError);
        await expect(log.append(gone, message('anyone there?'), { ownerSpoke: true })).rejects.toBeInstanceOf(ConversationEndedError);
        expect(await log.list(gone.id)).toEqual({ activities: [], watermark: '0' });
        const c = { ...conversation(), started: true, profile: { name: '王阿姨' } };
        await log.create(c);
        await log.append(c, message('welcome'));
        expect(await log.get(c.id)).toEqual(c);
        const first = await log.append(c, message('我家漏水'), { ownerSpoke: true });
        expect(await log.get(c.id)).toEqual({ ...c, ownerSpoke: true });
        // Marked again from a stale copy: harmless.
        await log.append(c, message('还在吗'), { ownerSpoke: true });
        expect(await log.get(c.id)).toEqual({ ...c, ownerSpoke: true });
        expect((await log.list(c.id)).activities.map((a) => a.id)).toEqual([`${c.id}|0000001`, first.id, `${c.id}|0000003`]);
    });

    it('numbers each conversation\'s activities by one sequence, and lists them from a watermark', async () => {
        const log = open();
        const a = conversation();
        const b = conversation();
        await log.create(a);
        await log.create(b);
        const first = await log.append(a, message('one'));
        await log.append(b, message('other'));
        const second = await log.append(a, message('two'));
        expect(first.id).toBe(`${a.id}|0000001`);
        expect(second.id).toBe(`${a.id}|0000002`);
        expect(await log.list(a.id)).toEqual({ activities: [first, second], watermark: '2' });
        expect(await log.list(a.id, 1)).toEqual({ activities: [second], watermark: '2' });
        expect(await log.list(a.id, 2)).toEqual({ activities: [], watermark: '2' });
        expect((await log.list(b.id)).activities.map((x) => x.text)).toEqual(['other']);
        expect(await log.list('no-such-conversation')).toEqual({ activities: [], watermark: '0' });
        // A stream's replay: the same, and null for a conversation that has no record.
        expect(await log.replay(a.id, 1)).toEqual(await log.list(a.id, 1));
        expect(await log.replay(a.id)).toEqual(await log.list(a.id));
        expect(await log.replay('no-such-conversation')).toBeNull();
    });

    it('gives concurrent appends distinct sequences, listed in order', async () => {
        const log = open();
        const c = conversation();
        await log.create(c);
        const stored = await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(c, message(`m${i}`))));
        const ids = stored.map((s) => s.id);
        expect(new Set(ids).size).toBe(30);
        const listed = (await log.list(c.id)).activities.map((x) => x.id);
        expect(listed).toEqual([...ids].sort());
    });

    it(`keeps at most ${MAX_ACTIVITIES_PER_CONVERSATION} activities a conversation, the oldest dropped`, async () => {
        const log = open();
        const c = conversation();
        await log.create(c);
        await Promise.all(Array.from({ length: MAX_ACTIVITIES_PER_CONVERSATION + 5 }, (_, i) => log.append(c, message(`m${i}`))));
        const { activities, watermark } = await log.list(c.id);
        expect(activities).toHaveLength(MAX_ACTIVITIES_PER_CONVERSATION);
        expect(activities[0]!.id).toBe(`${c.id}|0000006`);
        expect(watermark).toBe(String(MAX_ACTIVITIES_PER_CONVERSATION + 5));
    });

    it('pushes appends (with their watermark) and typing (without, never stored) to the conversation\'s listeners only', async () => {
        const log = open();
        const c = conversation();
        const other = conversation();
        await log.create(c);
        await log.create(other);
        const heard: ActivityPush[] = [];
        const elsewhere: ActivityPush[] = [];
        const stop = log.listen(c.id, (push) => heard.push(push));
        log.listen(other.id, (push) => elsewhere.push(push));
        const typing = { type: 'typing', from: { id: 'linli', name: '', role: 'bot' } };
        // Typing again until the first push arrives: a subscriber may still be subscribing.
        for (let i = 0; i < 100 && heard.length === 0; i++) {
            await log.pushTransient(c.id, typing);
            await new Promise((r) => setTimeout(r, 20));
        }
        expect(heard[0]!.watermark).toBeUndefined();
        expect(JSON.parse(heard[0]!.frame)).toEqual({ activities: [typing] });
        const stored = await log.append(c, message('hi'));
        await until(() => heard.some((p) => p.watermark !== undefined));
        const pushed = heard.find((p) => p.watermark !== undefined)!;
        expect(pushed.watermark).toBe('1');
        // The frame a socket is sent: the activity as stored and listed, with its id, and the watermark.
        expect(JSON.parse(pushed.frame)).toEqual({ activities: [stored], watermark: '1' });
        expect(JSON.parse(pushed.frame)).toEqual(await log.list(c.id));
        expect((await log.list(c.id)).activities).toEqual([stored]);
        stop();
        await log.append(c, message('after'));
        await new Promise((r) => setTimeout(r, 50));
        expect(heard.filter((p) => p.watermark !== undefined)).toHaveLength(1);
        expect(elsewhere).toEqual([]);
    });

    it('pushes an activity of any shape as valid JSON (an empty one, quotes and newlines in its text)', async () => {
        const log = open();
        const c = conversation();
        await log.create(c);
        const heard: ActivityPush[] = [];
        log.listen(c.id, (push) => heard.push(push));
        for (let i = 0; i < 100 && heard.length === 0; i++) {
            await log.pushTransient(c.id, { type: 'typing' });
            await new Promise((r) => setTimeout(r, 20));
        }
        const empty = await log.append(c, {});
        const awkward = await log.append(c, message('他说："漏水了"\n{"id":"x"}'));
        await until(() => heard.filter((p) => p.watermark !== undefined).length === 2);
        expect(heard.filter((p) => p.watermark !== undefined).map((p) => JSON.parse(p.frame) as unknown)).toEqual([
            { activities: [empty], watermark: '1' },
            { activities: [awkward], watermark: '2' },
        ]);
    });

    it('keeps uploads with their conversation', async () => {
        const log = open();
        const c = conversation();
        await log.create(c);
        const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
        await log.saveUpload(c, { id: 'u1', contentType: 'image/png', name: 'leak.png', data });
        const read = await log.getUpload(c.id, 'u1');
        expect(read?.contentType).toBe('image/png');
        expect(read?.name).toBe('leak.png');
        expect(read?.data.equals(data)).toBe(true);
        expect(await log.getUpload(c.id, 'u2')).toBeNull();
        expect(await log.getUpload('other', 'u1')).toBeNull();
    });
}
