import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity, type StoreItems } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { SnapshotBotState } from '../../bot/SnapshotBotState';

/** MemoryStorage that counts writes, to see when a save reaches the store. */
class CountingStorage extends MemoryStorage {
    writes = 0;
    override async write(changes: StoreItems): Promise<void> {
        this.writes++;
        await super.write(changes);
    }
}

function contextFor(conversationId: string): TurnContext {
    const activity: Partial<Activity> = { type: 'message', channelId: 'test', conversation: { id: conversationId, isGroup: false, conversationType: '', name: '' }, from: { id: 'owner', name: '' }, recipient: { id: 'bot', name: '' }, text: 'hi' };
    return new TurnContext(new TestAdapter(), activity);
}

function stateOn(storage: CountingStorage): { state: SnapshotBotState; keys: ConversationState } {
    const keys = new ConversationState(storage);
    return { state: new SnapshotBotState(storage, (context) => keys.getStorageKey(context) ?? ''), keys };
}

describe('SnapshotBotState', () => {
    it('writes only when the turn changed the state', async () => {
        const storage = new CountingStorage();
        const { state } = stateOn(storage);
        const count = state.createProperty<number>('count');

        // A turn that never read the state has nothing to save.
        await state.saveChanges(contextFor('c1'));
        expect(storage.writes).toBe(0);
        const first = contextFor('c1');
        await state.load(first);
        await state.saveChanges(first);
        expect(storage.writes).toBe(0);
        await count.set(first, 1);
        await state.saveChanges(first);
        expect(storage.writes).toBe(1);
        // Saved once, unchanged since: a second save in the same turn writes nothing.
        await state.saveChanges(first);
        expect(storage.writes).toBe(1);

        const second = contextFor('c1');
        expect(await count.get(second, 0)).toBe(1);
        await state.saveChanges(second);
        expect(storage.writes).toBe(1);
        // A change deep inside the state is seen too.
        const nested = state.createProperty<{ stack: string[] }>('nested');
        (await nested.get(second, { stack: [] })).stack.push('x');
        await state.saveChanges(second);
        expect(storage.writes).toBe(2);
    });

    it("gives a missing property a copy of the default, as botbuilder's accessor does, and deletes it", async () => {
        const storage = new CountingStorage();
        const { state } = stateOn(storage);
        const stack = state.createProperty<{ dialogStack: string[] }>('dialogState');
        const turn = contextFor('c5');
        const fallback = { dialogStack: [] as string[] };
        const first = await stack.get(turn, fallback);
        first.dialogStack.push('main');
        expect(fallback.dialogStack).toEqual([]);
        expect(await stack.get(turn, fallback)).toBe(first);
        await stack.delete(turn);
        expect(await stack.get(turn)).toBeUndefined();
    });

    it('keeps the layout of ConversationState, so state written before is read back', async () => {
        const storage = new CountingStorage();
        const { state, keys } = stateOn(storage);
        const before = contextFor('c2');
        await keys.createProperty<string>('name').set(before, '张阿姨');
        await keys.saveChanges(before);
        expect(await state.createProperty<string>('name').get(contextFor('c2'))).toBe('张阿姨');
    });

    it('writes a cleared state and forgets a deleted one', async () => {
        const storage = new CountingStorage();
        const { state } = stateOn(storage);
        const name = state.createProperty<string>('name');
        const turn = contextFor('c3');
        await name.set(turn, 'x');
        await state.saveChanges(turn);
        await state.clear(turn);
        await state.saveChanges(turn);
        expect(await name.get(contextFor('c3'))).toBeUndefined();
        expect(storage.writes).toBe(2);

        await name.set(turn, 'y');
        await state.saveChanges(turn);
        await state.delete(turn);
        expect(state.get(turn)).toBeUndefined();
        expect(await name.get(contextFor('c3'))).toBeUndefined();
    });

    it('reads again when forced, after another instance wrote', async () => {
        const storage = new CountingStorage();
        const a = stateOn(storage).state;
        const b = stateOn(storage).state;
        const turn = contextFor('c4');
        expect(await a.createProperty<number>('n').get(turn)).toBeUndefined();
        const other = contextFor('c4');
        await b.createProperty<number>('n').set(other, 7);
        await b.saveChanges(other);
        await a.load(turn, true);
        expect(await a.createProperty<number>('n').get(turn)).toBe(7);
    });
});
