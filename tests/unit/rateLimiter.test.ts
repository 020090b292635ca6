import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../bot/http/RateLimiter';

describe('RateLimiter', () => {
    it('keeps at most maxKeys buckets in a window: new keys past it share one overflow bucket', () => {
        let now = 0;
        const limiter = new RateLimiter(5, 60_000, () => now, 100);
        const answers = [];
        for (let i = 0; i < 50_000; i++) answers.push(limiter.allow(`addr-${i}`));
        expect(limiter.size).toBeLessThanOrEqual(101);
        // The first 100 keys got their own bucket; the flood beyond shares one and is limited with it.
        expect(answers.slice(0, 100).every(Boolean)).toBe(true);
        expect(answers.slice(100).filter(Boolean)).toHaveLength(5);
        // Keys already counted keep their own bucket during the flood.
        expect(limiter.allow('addr-1')).toBe(true);
        now += 60_000;
        expect(limiter.allow('addr-99999')).toBe(true);
        expect(limiter.size).toBe(1);
    });
});
