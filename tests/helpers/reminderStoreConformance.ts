import { expect, it } from 'vitest';
import type { ReminderStore, ScheduledReminder } from '../../bot/proactive/ReminderStore';

const reminder = (id: string, remindAt: string): ScheduledReminder => ({
    id,
    channelId: 'webchat',
    conversationId: `conv-${id}`,
    dueDate: '2026-12-05',
    remindAt,
    createdBy: 'alice',
    createdAt: '2026-11-27T02:00:00.000Z',
});

/** What every ReminderStore must do. */
export function reminderStoreConformance(create: () => ReminderStore): void {
    it('hands out reminders whose time has come, earliest first, until removed', async () => {
        const store = create();
        await store.schedule(reminder('later', '2026-12-02T04:00:00.000Z'));
        await store.schedule(reminder('sooner', '2026-12-02T02:00:00.000Z'));
        await store.schedule(reminder('future', '2026-12-09T02:00:00.000Z'));
        expect(await store.due(new Date('2026-12-01T00:00:00Z'))).toEqual([]);
        expect((await store.due(new Date('2026-12-03T00:00:00Z'))).map((r) => r.id)).toEqual(['sooner', 'later']);
        expect((await store.due(new Date('2026-12-03T00:00:00Z'), 1)).map((r) => r.id)).toEqual(['sooner']);
        await store.remove('sooner');
        expect(await store.due(new Date('2026-12-03T00:00:00Z'))).toEqual([reminder('later', '2026-12-02T04:00:00.000Z')]);
    });

    it('reschedules a reminder given again with the same id', async () => {
        const store = create();
        await store.schedule(reminder('moved', '2026-12-02T02:00:00.000Z'));
        await store.schedule(reminder('moved', '2026-12-08T02:00:00.000Z'));
        expect(await store.due(new Date('2026-12-03T00:00:00Z'))).toEqual([]);
    });
}
