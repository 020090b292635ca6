import { describe, expect, it } from 'vitest';
import { InProcessTurnLock } from '../../adapters/locks/InProcessTurnLock';
import { LockTimeoutError } from '../../bot/locks/TurnLock';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('InProcessTurnLock', () => {
    it('runs holders of one key one at a time, in arrival order', async () => {
        const lock = new InProcessTurnLock();
        const order: string[] = [];
        const work = async (name: string) => {
            const release = await lock.acquire('k', 1000);
            order.push(`${name}+`);
            await tick();
            order.push(`${name}-`);
            await release();
        };
        await Promise.all([work('a'), work('b'), work('c')]);
        expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    });

    it('does not make different keys wait for each other', async () => {
        const lock = new InProcessTurnLock();
        const releaseA = await lock.acquire('a', 1000);
        const releaseB = await lock.acquire('b', 50);
        await releaseB();
        await releaseA();
    });

    it('times out, and the queue behind a timed-out waiter still moves', async () => {
        const lock = new InProcessTurnLock();
        const first = await lock.acquire('k', 1000);
        await expect(lock.acquire('k', 20)).rejects.toBeInstanceOf(LockTimeoutError);
        const third = lock.acquire('k', 1000);
        await first();
        const releaseThird = await third;
        await releaseThird();
    });
});
