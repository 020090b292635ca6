import { z } from 'zod';

/** A payment reminder staff asked for at a given time; kept in the store until it has gone out. */
export const ScheduledReminder = z.object({
    id: z.string().min(1),
    channelId: z.string().min(1),
    conversationId: z.string().min(1),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    remindAt: z.string(),
    createdBy: z.string().min(1),
    createdAt: z.string(),
});
export type ScheduledReminder = z.infer<typeof ScheduledReminder>;

/** Scheduled reminders by due time; shared by every instance (Redis) or on disk (SQLite), so a restart loses none. */
export interface ReminderStore {
    schedule(reminder: ScheduledReminder): Promise<void>;
    /** Reminders whose time has come, earliest first, at most `limit`. */
    due(now: Date, limit?: number): Promise<ScheduledReminder[]>;
    /** Forgets a reminder (sent, or its owner can no longer be reached). */
    remove(id: string): Promise<void>;
}
