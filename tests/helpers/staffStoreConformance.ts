import { expect, it } from 'vitest';
import type { StaffAccountRecord } from '../../bot/staff/StaffAccount';
import type { StaffStore } from '../../bot/staff/StaffStore';

const account = (name: string, extra: Partial<StaffAccountRecord> = {}): StaffAccountRecord => ({
    name,
    displayName: `客服${name}`,
    roles: ['agent'],
    capacity: 3,
    trainee: false,
    disabled: false,
    passwordHash: 'scrypt$16384$8$1$c2FsdA$a2V5',
    createdAt: '2026-12-01T02:00:00.000Z',
    updatedAt: '2026-12-01T02:00:00.000Z',
    ...extra,
});

/** What every StaffStore must do. */
export function staffStoreConformance(create: () => StaffStore): void {
    it('creates an account once, reads it back, lists accounts by name and updates only existing ones', async () => {
        const store = create();
        expect(await store.createAccount(account('xiaowang'))).toBe(true);
        expect(await store.createAccount(account('xiaowang', { displayName: '冒名' }))).toBe(false);
        expect(await store.createAccount(account('alice', { roles: ['supervisor', 'agent'] }))).toBe(true);
        expect(await store.account('xiaowang')).toEqual(account('xiaowang'));
        expect(await store.account('nobody')).toBeNull();
        expect((await store.accounts()).map((a) => a.name)).toEqual(['alice', 'xiaowang']);
        expect(await store.updateAccount(account('xiaowang', { capacity: 1, trainee: true }))).toBe(true);
        expect(await store.account('xiaowang')).toMatchObject({ capacity: 1, trainee: true, displayName: '客服xiaowang' });
        expect(await store.updateAccount(account('ghost'))).toBe(false);
        expect(await store.account('ghost')).toBeNull();
    });

    it('keeps a session until it expires or is ended, and ends every session of an account', async () => {
        const store = create();
        const now = new Date();
        const later = new Date(now.getTime() + 3_600_000).toISOString();
        await store.createSession({ digest: 'd1', name: 'xiaowang', expiresAt: later });
        await store.createSession({ digest: 'd2', name: 'xiaowang', expiresAt: later });
        await store.createSession({ digest: 'd3', name: 'alice', expiresAt: later });
        expect(await store.session('d1', now)).toEqual({ digest: 'd1', name: 'xiaowang', expiresAt: later });
        expect(await store.session('d1', new Date(Date.parse(later) + 1))).toBeNull();
        expect(await store.session('unknown', now)).toBeNull();
        await store.deleteSession('d1');
        expect(await store.session('d1', now)).toBeNull();
        expect(await store.deleteSessionsOf('xiaowang')).toBe(1);
        expect(await store.session('d2', now)).toBeNull();
        expect(await store.session('d3', now)).not.toBeNull();
        expect(await store.deleteSessionsOf('nobody')).toBe(0);
    });

    it('keeps when each agent was last seen apart from what they chose', async () => {
        const store = create();
        expect(await store.presence()).toEqual([]);
        await store.touchPresence('xiaowang', new Date('2026-12-01T02:00:00.000Z'));
        await store.choosePresence('alice', 'away');
        expect(await store.presence()).toEqual([
            { name: 'alice', chosen: 'away', lastSeenAt: null },
            { name: 'xiaowang', chosen: 'online', lastSeenAt: '2026-12-01T02:00:00.000Z' },
        ]);
        await store.choosePresence('xiaowang', 'away');
        await store.touchPresence('xiaowang', new Date('2026-12-01T02:00:15.000Z'));
        await store.touchPresence('alice', new Date('2026-12-01T02:00:20.000Z'));
        expect(await store.presence()).toEqual([
            { name: 'alice', chosen: 'away', lastSeenAt: '2026-12-01T02:00:20.000Z' },
            { name: 'xiaowang', chosen: 'away', lastSeenAt: '2026-12-01T02:00:15.000Z' },
        ]);
    });
}
