import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteRehearsalStore } from '../../adapters/rehearsals/SqliteRehearsalStore';
import { EntityExtractor } from '../../bot/nlu/EntityExtractor';
import { PROJECT_ROOT } from '../../bot/paths';
import type { Rehearsal } from '../../bot/rehearsal/Rehearsal';
import { RehearsalService } from '../../bot/rehearsal/RehearsalService';
import type { RehearsalStore } from '../../bot/rehearsal/RehearsalStore';
import { ScenarioBook } from '../../bot/rehearsal/ScenarioBook';
import { SCORING_NOW } from '../helpers/rehearsalScoring';

/** A store whose reads take a while, as a remote one does: turns sent at once overlap inside the service. */
class SlowStore implements RehearsalStore {
    readonly lock = null;
    constructor(private readonly inner: RehearsalStore) {}
    save(r: Rehearsal) {
        return this.inner.save(r);
    }
    async get(id: string) {
        const found = await this.inner.get(id);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return found;
    }
    list(filter: { trainee?: string }, limit: number) {
        return this.inner.list(filter, limit);
    }
}

describe('RehearsalService', () => {
    const book = ScenarioBook.load(join(PROJECT_ROOT, 'scripts'));
    const service = new RehearsalService({ book, store: new SlowStore(new SqliteRehearsalStore(':memory:')), entities: new EntityExtractor(() => SCORING_NOW), clock: () => SCORING_NOW });

    it('takes turns sent at once one after the other, in the order they came, none lost', async () => {
        const started = await service.start({ scenario: 'leak_repair', seed: 2, trainee: 'alice' });
        const turns = ['您家是几号楼几室？', '什么时候开始漏的？', '现在漏得厉害吗？'];
        const outcomes = await Promise.all(turns.map((text) => service.turn(started!.id, text)));
        expect(outcomes.every((o) => typeof o === 'object' && o.owner !== null)).toBe(true);
        const stored = await service.get(started!.id);
        expect(stored!.transcript.filter((t) => t.role === 'trainee').map((t) => t.text)).toEqual(turns);
        expect(stored!.transcript.map((t) => t.role)).toEqual(['owner', 'trainee', 'owner', 'trainee', 'owner', 'trainee', 'owner']);
        expect(stored!.owner.revealed.sort()).toEqual(['extent', 'place', 'since']);
    });

    it('finishes once: a finish sent with a turn waits for it, and a second finish returns the same card', async () => {
        const started = await service.start({ scenario: 'vacant_unit', seed: 4, trainee: 'bob' });
        const [turn, first, second] = await Promise.all([service.turn(started!.id, '合同写了必须交。'), service.finish(started!.id), service.finish(started!.id)]);
        expect(typeof turn).toBe('object');
        expect(first!.forbidden).toEqual([{ phrase: '合同写了必须交', turn: 0, kind: 'phrase' }]);
        expect(second).toEqual(first);
        expect(await service.turn(started!.id, '您好')).toBe('finished');
    });
});
