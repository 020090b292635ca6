import { describe, expect, it } from 'vitest';
import { RedisTurnLock } from '../../adapters/locks/RedisTurnLock';
import { LockTimeoutError } from '../../bot/locks/TurnLock';
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
        // The dead instance's own connection: once it is gone, so are its renewals.
        const dead = redis!.duplicate();
        await new RedisTurnLock(dead, prefix, { leaseMs: 100 }).acquire('abandoned', 50); // never released
        dead.disconnect();
        const release = await new RedisTurnLock(redis!, prefix, { leaseMs: 100 }).acquire('abandoned', 1000);
        await release();
    });

    it('renews the lease while its holder runs, and only while it holds it', async () => {
        const lock = new RedisTurnLock(redis!, prefix, { leaseMs: 300, renewEveryMs: 100 });
        const release = await lock.acquire('renewed', 50);
        await new Promise((r) => setTimeout(r, 700)); // more than two leases
        await expect(lock.acquire('renewed', 50)).rejects.toBeInstanceOf(LockTimeoutError);
        // Another holder took the key (our lease lapsed meanwhile): our renewals must not extend theirs.
        await redis!.set(`${prefix}lock:turn:renewed`, 'someone-else', 'PX', 250);
        await new Promise((r) => setTimeout(r, 400));
        expect(await redis!.get(`${prefix}lock:turn:renewed`)).toBeNull();
        await release();
        // Released: no renewal brings the key back.
        const again = await lock.acquire('renewed', 100);
        await again();
        await new Promise((r) => setTimeout(r, 250));
        expect(await redis!.exists(`${prefix}lock:turn:renewed`)).toBe(0);
    });
});
