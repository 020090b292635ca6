import { expect, it } from 'vitest';
import type { Rehearsal } from '../../bot/rehearsal/Rehearsal';
import type { RehearsalStore } from '../../bot/rehearsal/RehearsalStore';

const rehearsal = (id: string, trainee: string, startedAt: string, overrides: Partial<Rehearsal> = {}): Rehearsal => ({
    id,
    scenario: 'lift_complaint',
    persona: 'default',
    seed: 7,
    trainee,
    startedAt,
    finishedAt: null,
    ended: false,
    transcript: [{ role: 'owner', text: 'opening line', mood: 'angry', at: startedAt }],
    owner: { mood: 'angry', revealed: [], resolved: false, idle: 0, provoked: 0, ended: false, draws: 1 },
    scorecard: null,
    ...overrides,
});

/** What every RehearsalStore must do. */
export function rehearsalStoreConformance(create: () => RehearsalStore): void {
    it('keeps a rehearsal and its later states, and knows no other', async () => {
        const store = create();
        expect(await store.get('nope')).toBeNull();
        const first = rehearsal('r1', 'alice', '2026-12-01T01:00:00.000Z');
        await store.save(first);
        expect(await store.get('r1')).toEqual(first);
        const later = rehearsal('r1', 'alice', '2026-12-01T01:00:00.000Z', {
            ended: true,
            finishedAt: '2026-12-01T01:05:00.000Z',
            transcript: [...first.transcript, { role: 'trainee', text: 'a reply', at: '2026-12-01T01:01:00.000Z' }],
            scorecard: { overall: 42, steps: [], forbidden: [{ phrase: '没办法', turn: 0, kind: 'phrase' }], mood: 'upset', goalMet: false, tips: ['tip'] },
        });
        await store.save(later);
        expect(await store.get('r1')).toEqual(later);
        expect(await store.list({}, 10)).toHaveLength(1);
    });

    it('lists newest first, by trainee when asked, at most the limit', async () => {
        const store = create();
        await store.save(rehearsal('a-old', 'alice', '2026-12-01T01:00:00.000Z'));
        await store.save(rehearsal('b-mid', 'bob', '2026-12-01T02:00:00.000Z'));
        await store.save(rehearsal('a-new', 'alice', '2026-12-01T03:00:00.000Z'));
        expect((await store.list({}, 10)).map((r) => r.id)).toEqual(['a-new', 'b-mid', 'a-old']);
        expect((await store.list({ trainee: 'alice' }, 10)).map((r) => r.id)).toEqual(['a-new', 'a-old']);
        expect((await store.list({ trainee: 'carol' }, 10))).toEqual([]);
        expect((await store.list({}, 2)).map((r) => r.id)).toEqual(['a-new', 'b-mid']);
    });
}
