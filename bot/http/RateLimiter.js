/**
 * A fixed-window counter per key (a staff token's digest, or an address): `limit` requests per window. Basic by
 * design — per instance, in memory — it stops a runaway script or a token-guessing loop, not a determined attacker.
 *
 * At most `maxKeys` keys are counted in a window: past that, every new key shares one overflow bucket, so a flood of
 * distinct keys (addresses an attacker can vary) costs bounded memory and is itself limited.
 */
export class RateLimiter {
    limit;
    windowMs;
    clock;
    maxKeys;
    static OVERFLOW = '\u0000overflow';
    windowStart = 0;
    counts = new Map();
    constructor(limit, windowMs = 60_000, clock = Date.now, maxKeys = 10_000) {
        this.limit = limit;
        this.windowMs = windowMs;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }
    /** Counts a request; false when the key is over its limit in the current window. */
    allow(key) {
        const now = this.clock();
        if (now - this.windowStart >= this.windowMs) {
            this.windowStart = now;
            this.counts = new Map();
        }
        const bucket = this.counts.has(key) || this.counts.size < this.maxKeys ? key : RateLimiter.OVERFLOW;
        const count = (this.counts.get(bucket) ?? 0) + 1;
        this.counts.set(bucket, count);
        return count <= this.limit;
    }
    /** Keys counted in the current window (the overflow bucket included): never more than maxKeys + 1. */
    get size() {
        return this.counts.size;
    }
    /** Seconds until the current window ends (the Retry-After header). */
    retryAfterSeconds() {
        return Math.max(1, Math.ceil((this.windowStart + this.windowMs - this.clock()) / 1000));
    }
}
