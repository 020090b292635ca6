/**
 * A fixed-window counter per key (a staff token's digest, or an address): `limit` requests per window. Basic by
 * design — per instance, in memory — it stops a runaway script or a token-guessing loop, not a determined attacker.
 */
export class RateLimiter {
    private windowStart = 0;
    private counts = new Map<string, number>();

    constructor(
        private readonly limit: number,
        private readonly windowMs = 60_000,
        private readonly clock: () => number = Date.now,
    ) {}

    /** Counts a request; false when the key is over its limit in the current window. */
    allow(key: string): boolean {
        const now = this.clock();
        if (now - this.windowStart >= this.windowMs) {
            this.windowStart = now;
            this.counts = new Map();
        }
        const count = (this.counts.get(key) ?? 0) + 1;
        this.counts.set(key, count);
        return count <= this.limit;
    }

    /** Seconds until the current window ends (the Retry-After header). */
    retryAfterSeconds(): number {
        return Math.max(1, Math.ceil((this.windowStart + this.windowMs - this.clock()) / 1000));
    }
}
