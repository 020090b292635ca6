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
    remaining: z.number().int().min(0),
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

/** Each owner's customer-service window, in the shared store (any instance may send). */
export class CustomerServiceWindow {
    constructor(
        private readonly keys: ExpiringKeys,
        private readonly clock: () => Date,
    ) {}

    private key(openid: string): string {
        return `wechat:window:${openid}`;
    }

    /** The owner acted: the allowance of this action replaces whatever was left, and they are reachable again. */
    async opened(openid: string, action: OwnerAction): Promise<void> {
        const allowance = ALLOWANCE[action];
        await this.write(openid, { remaining: allowance.messages, closesAt: this.clock().getTime() + allowance.windowMs, unreachable: null });
    }

    /** Why a message can not be sent now, or null when it can. */
    async refusal(openid: string): Promise<string | null> {
        const current = await this.read(openid);
        if (!current) return 'the owner has not written (no customer-service window)';
        if (current.unreachable) return current.unreachable;
        if (current.closesAt <= this.clock().getTime()) return 'the customer-service window has closed';
        if (current.remaining <= 0) return "the window's messages are used up";
        return null;
    }

    /** One message went out. */
    async spend(openid: string): Promise<void> {
        const current = await this.read(openid);
        if (current) await this.write(openid, { ...current, remaining: Math.max(0, current.remaining - 1) });
    }

    async markUnreachable(openid: string, reason: string): Promise<void> {
        const current = await this.read(openid);
        await this.write(openid, { remaining: 0, closesAt: current?.closesAt ?? this.clock().getTime(), unreachable: reason });
    }

    async view(openid: string): Promise<WindowView> {
        const current = await this.read(openid);
        const open = current && !current.unreachable && current.closesAt > this.clock().getTime();
        return {
            remaining: open ? current.remaining : 0,
            windowClosesAt: current ? new Date(current.closesAt).toISOString() : null,
            unreachable: current?.unreachable ?? null,
        };
    }

    private async read(openid: string): Promise<WindowRecord | null> {
        const raw = await this.keys.get(this.key(openid));
        if (!raw) return null;
        const parsed = WindowRecord.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
    }

    private write(openid: string, record: WindowRecord): Promise<void> {
        return this.keys.set(this.key(openid), JSON.stringify(record), KEEP_MS);
    }
}
