import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ExpiringKeys } from '../../bot/storage/ExpiringKeys';

/**
 * WeChat's customer-service allowance since June 2023: an owner's message opens 5 messages within 48 hours; a menu
 * click, a follow or a QR-code scan opens 3 within one minute. Each new action starts the allowance afresh (they do
 * not add up). Passive replies are free and are not counted here.
 */
export const ALLOWANCE = {
    message: { messages: 5, windowMs: 48 * 3600_000 },
    action: { messages: 3, windowMs: 60_000 },
} as const;

export type OwnerAction = keyof typeof ALLOWANCE;

const WindowRecord = z.object({
    /** A new id per opening: its messages are counted under it, so a new window starts from zero. */
    id: z.string(),
    allowance: z.number().int().min(0),
    closesAt: z.number(),
    /** Why WeChat will not take a message for this owner until they write again (45047, 45015, 43004, unfollowed). */
    unreachable: z.string().nullable(),
});
type WindowRecord = z.infer<typeof WindowRecord>;

/** What agents are shown on a WeChat owner's queue entry. */
export interface WindowView {
    remaining: number;
    windowClosesAt: string | null;
    unreachable: string | null;
}

/** Kept a little past the longest window, so a closed one still reads as closed rather than unknown. */
const KEEP_MS = ALLOWANCE.message.windowMs + 24 * 3600_000;

/** A message taken from the window: `giveBack` when WeChat did not take it after all (it does not count). */
export interface TakenMessage {
    giveBack(): Promise<void>;
}

/**
 * Each owner's customer-service window, in the shared store so any instance may send. Messages are taken with an
 * atomic counter per window: two agents (or instances) sending at once can not both take the last one.
 */
export class CustomerServiceWindow {
    constructor(
        private readonly keys: ExpiringKeys,
        private readonly clock: () => Date,
    ) {}

    /** The owner acted: the allowance of this action replaces whatever was left, and they are reachable again. */
    async opened(openid: string, action: OwnerAction): Promise<void> {
        const allowance = ALLOWANCE[action];
        const record: WindowRecord = { id: randomUUID(), allowance: allowance.messages, closesAt: this.clock().getTime() + allowance.windowMs, unreachable: null };
        await this.keys.set(this.key(openid), JSON.stringify(record), KEEP_MS);
    }

    /** Takes one message from the window, or says why the window allows none. */
    async take(openid: string): Promise<TakenMessage | { refused: string }> {
        const current = await this.read(openid);
        if (!current) return { refused: 'the owner has not written (no customer-service window)' };
        if (current.unreachable) return { refused: current.unreachable };
        if (current.closesAt <= this.clock().getTime()) return { refused: 'the customer-service window has closed' };
        const spentKey = this.spentKey(openid, current.id);
        const spent = await this.keys.increment(spentKey, 1, KEEP_MS);
        const giveBack = async () => void (await this.keys.increment(spentKey, -1, KEEP_MS));
        if (spent > current.allowance) {
            await giveBack();
            return { refused: "the window's messages are used up" };
        }
        return { giveBack };
    }

    async markUnreachable(openid: string, reason: string): Promise<void> {
        const current = await this.read(openid);
        const record: WindowRecord = { id: current?.id ?? randomUUID(), allowance: 0, closesAt: current?.closesAt ?? this.clock().getTime(), unreachable: reason };
        await this.keys.set(this.key(openid), JSON.stringify(record), KEEP_MS);
    }

    async view(openid: string): Promise<WindowView> {
        const current = await this.read(openid);
        if (!current) return { remaining: 0, windowClosesAt: null, unreachable: null };
        const open = !current.unreachable && current.closesAt > this.clock().getTime();
        const spent = Number((await this.keys.get(this.spentKey(openid, current.id))) ?? 0);
        return {
            remaining: open ? Math.max(0, current.allowance - spent) : 0,
            windowClosesAt: new Date(current.closesAt).toISOString(),
            unreachable: current.unreachable,
        };
    }

    private key(openid: string): string {
        return `wechat:window:${openid}`;
    }

    private spentKey(openid: string, windowId: string): string {
        return `wechat:window-spent:${openid}:${windowId}`;
    }

    private async read(openid: string): Promise<WindowRecord | null> {
        const raw = await this.keys.get(this.key(openid));
        if (!raw) return null;
        const parsed = WindowRecord.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
    }
}
