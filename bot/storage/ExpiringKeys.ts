/**
 * Short-lived keys shared by every instance: markers set once (a WeChat retry, a token fetch), values kept for a
 * while (a cached access token, a customer-service window). Redis SET NX PX, or its SQLite equivalent.
 * Failures are StorageUnavailableError.
 */
export interface ExpiringKeys {
    /** Sets `key` only if it is absent or expired; true when this call set it (atomic across instances). */
    claim(key: string, value: string, ttlMs: number): Promise<boolean>;
    set(key: string, value: string, ttlMs: number): Promise<void>;
    get(key: string): Promise<string | null>;
    /** Adds `by` to the number at `key` (0 when absent or expired) and returns the sum, atomically; the key lives `ttlMs`
     * from the first increment (Redis: from the latest — callers use a key per window, so either is fine). */
    increment(key: string, by: number, ttlMs: number): Promise<number>;
    delete(key: string): Promise<void>;
}
