import { describe, expect, it } from 'vitest';
import { RedisTurnLock } from '../../adapters/locks/RedisTurnLock';
import { LockTimeoutError } from '../../adapters/locks/TurnLock';
import { testRedis } from '../helpers/redis';

const { redis, prefix } = await testRedis();

describe.skipIf(!redis)('RedisTurnLock (real Redis)', () => {
    it('lets one holder in at a time', async () => {
        const lock = new RedisTurnLock(redis!, prefix);
        let inside = 0;
        let maxInside = 0;
        await Promise.all(
            Array.from({ length: 8 }, async () => {
                const release = await lock.acquire('conv', 5000);
                inside += 1;
                maxInside = Math.max(maxInside, inside);
                await new Promise((r) => setTimeout(r, 5));
                inside -= 1;
                await release();
            }),
        );
        expect(maxInside).toBe(1);
    });

    it('times out while another holds the lock, and only the owner releases it', async () => {
        const lock = new RedisTurnLock(redis!, prefix);
        const release = await lock.acquire('held', 1000);
        await expect(lock.acquire('held', 50)).rejects.toBeInstanceOf(LockTimeoutError);
        // Our lease ran out and another instance took the lock: releasing ours must not free theirs.
        const releaseLate = await lock.acquire('other', 100);
        await redis!.set(`${prefix}lock:turn:other`, 'someone-else');
        await releaseLate();
        expect(await redis!.get(`${prefix}lock:turn:other`)).toBe('someone-else');
        await release();
        const again = await lock.acquire('held', 100);
        await again();
    });

    it('expires a lease left by a dead instance', async () => {
        const lock = new RedisTurnLock(redis!, prefix, 100);
        await lock.acquire('abandoned', 50); // never released
        const release = await lock.acquire('abandoned', 1000);
        await release();
    });
});
