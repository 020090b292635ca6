import { AutoSaveStateMiddleware, ConversationState, MessageFactory, TestAdapter, type Storage, type StoreItems } from 'botbuilder';
import { Dialog, DialogSet, TextPrompt, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import { expect, it } from 'vitest';

/**
 * The storage conformance suite, ported from botbuilder-core's tests/storageBaseTests.js: every Storage Linli uses
 * must pass it. Where botbuilder lets a provider choose (null keys), we follow MemoryStorage and reject.
 */
export function storageConformance(makeStorage: () => Storage): void {
    const s = (): Storage => makeStorage();

    it('returns an empty object when reading an unknown key', async () => {
        const result = await s().read(['unknown']);
        expect(result).not.toBeNull();
        expect(Object.keys(result)).toHaveLength(0);
    });

    it('rejects null keys when reading', async () => {
        await expect(s().read(null as unknown as string[])).rejects.toThrow(new ReferenceError('Keys are required when reading.'));
    });

    it('rejects null changes when writing', async () => {
        await expect(s().write(null as unknown as StoreItems)).rejects.toThrow(new ReferenceError('Changes are required when writing.'));
    });

    it('does not throw when writing no items', async () => {
        await expect(s().write({})).resolves.toBeUndefined();
    });

    it('creates objects and gives them an eTag', async () => {
        const storage = s();
        const items = { createPoco: { id: 1 }, createPocoStoreItem: { id: 2 } };
        await storage.write(items);
        const read = await storage.read(Object.keys(items));
        expect(read.createPoco.id).toBe(1);
        expect(read.createPocoStoreItem.id).toBe(2);
        expect(typeof read.createPoco.eTag).toBe('string');
        expect(typeof read.createPocoStoreItem.eTag).toBe('string');
    });

    it('handles crazy keys', async () => {
        const storage = s();
        const key = '!@#$%^&*()~/\\><,.?\';"`~';
        await storage.write({ [key]: { id: 1 } });
        const read = await storage.read([key]);
        expect(read[key]?.id).toBe(1);
    });

    it('updates objects, honours eTags and the wildcard', async () => {
        const storage = s();
        await storage.write({ pocoItem: { id: 1, count: 1 }, pocoStoreItem: { id: 1, count: 1 } });
        const loaded = await storage.read(['pocoItem', 'pocoStoreItem']);
        const pocoItem = loaded.pocoItem;
        delete pocoItem.eTag; // a plain object carries no eTag
        const pocoStoreItem = loaded.pocoStoreItem;
        expect(pocoStoreItem.eTag).toBeTruthy();

        pocoItem.count++;
        pocoStoreItem.count++;
        await storage.write(loaded);

        const reloaded = await storage.read(['pocoItem', 'pocoStoreItem']);
        expect(reloaded.pocoItem.eTag).toBeTruthy();
        expect(reloaded.pocoStoreItem.eTag).not.toBe(pocoStoreItem.eTag);
        expect(reloaded.pocoItem.count).toBe(2);
        expect(reloaded.pocoStoreItem.count).toBe(2);

        // Without an eTag a write always goes through; with a stale one it must fail.
        pocoItem.count = 123;
        await expect(storage.write({ pocoItem })).resolves.toBeUndefined();
        pocoStoreItem.count = 123;
        await expect(storage.write({ pocoStoreItem })).rejects.toThrow('Storage: error writing "pocoStoreItem" due to eTag conflict.');

        const reloaded2 = await storage.read(['pocoItem', 'pocoStoreItem']);
        expect(reloaded2.pocoItem.count).toBe(123);
        expect(reloaded2.pocoStoreItem.count).toBe(2);

        reloaded2.pocoItem.count = 100;
        reloaded2.pocoStoreItem.count = 100;
        reloaded2.pocoStoreItem.eTag = '*';
        delete reloaded2.pocoItem.eTag;
        await storage.write({ pocoItem: reloaded2.pocoItem, pocoStoreItem: reloaded2.pocoStoreItem });

        const final = await storage.read(['pocoItem', 'pocoStoreItem']);
        expect(final.pocoItem.count).toBe(100);
        expect(final.pocoStoreItem.count).toBe(100);
    });

    it('deletes objects', async () => {
        const storage = s();
        await storage.write({ delete1: { id: 1, count: 1 } });
        const read = await storage.read(['delete1']);
        expect(read.delete1.eTag).toBeTruthy();
        expect(read.delete1.count).toBe(1);
        await storage.delete(['delete1']);
        const reread = await storage.read(['delete1']);
        expect(reread.delete1).toBeUndefined();
    });

    it('does not throw when deleting an unknown object', async () => {
        await expect(s().delete(['unknown_key'])).resolves.toBeUndefined();
    });

    it('performs batch operations', async () => {
        const storage = s();
        await storage.write({ batch1: { count: 10 }, batch2: { count: 20 }, batch3: { count: 30 } });
        let result = await storage.read(['batch1', 'batch2', 'batch3']);
        expect(result.batch1.count).toBe(10);
        expect(result.batch2.count).toBe(20);
        expect(result.batch3.count).toBe(30);
        for (const key of ['batch1', 'batch2', 'batch3']) expect(result[key].eTag).toBeTruthy();
        await storage.delete(['batch1', 'batch2', 'batch3']);
        result = await storage.read(['batch1', 'batch2', 'batch3']);
        expect(result.batch1).toBeUndefined();
        expect(result.batch2).toBeUndefined();
        expect(result.batch3).toBeUndefined();
    });

    it('proceeds through a waterfall with a prompt', async () => {
        const convoState = new ConversationState(s());
        const dialogState = convoState.createProperty<DialogState>('dialogState');
        const dialogs = new DialogSet(dialogState);
        const adapter = new TestAdapter(async (turnContext) => {
            const dc = await dialogs.createContext(turnContext);
            await dc.continueDialog();
            if (!turnContext.responded) await dc.beginDialog('waterfallDialog');
        }).use(new AutoSaveStateMiddleware(convoState));

        dialogs.add(
            new TextPrompt('textPrompt', async (prompt) => {
                const value = prompt.recognized.value ?? '';
                if (value.length > 3) {
                    await prompt.context.sendActivity(MessageFactory.text(`You got it at the ${prompt.attemptCount}th try!`));
                    return true;
                }
                await prompt.context.sendActivity(MessageFactory.text(`Please send a name that is longer than 3 characters. ${prompt.attemptCount}`));
                return false;
            }),
        );
        dialogs.add(
            new WaterfallDialog('waterfallDialog', [
                async (step) => {
                    expect(typeof step.activeDialog?.state['stepIndex']).toBe('number');
                    await step.context.sendActivity('step1');
                    return Dialog.EndOfTurn;
                },
                async (step) => {
                    expect(typeof step.activeDialog?.state['stepIndex']).toBe('number');
                    return step.prompt('textPrompt', { prompt: MessageFactory.text('Please type your name.') });
                },
                async (step) => {
                    expect(typeof step.activeDialog?.state['stepIndex']).toBe('number');
                    await step.context.sendActivity('step3');
                    return Dialog.EndOfTurn;
                },
            ]),
        );

        await adapter
            .send('hello')
            .assertReply('step1')
            .send('hello')
            .assertReply('Please type your name.')
            .send('hi')
            .assertReply('Please send a name that is longer than 3 characters. 1')
            .send('hi')
            .assertReply('Please send a name that is longer than 3 characters. 2')
            .send('hi')
            .assertReply('Please send a name that is longer than 3 characters. 3')
            .send('Kyle')
            .assertReply('You got it at the 4th try!')
            .assertReply('step3')
            .startTest();
    });

    it('writes a batch all-or-nothing when one eTag is stale', async () => {
        const storage = s();
        await storage.write({ atomicA: { n: 1 }, atomicB: { n: 1 } });
        const read = await storage.read(['atomicA', 'atomicB']);
        await storage.write({ atomicB: { ...read.atomicB, n: 2 } });
        await expect(storage.write({ atomicA: { ...read.atomicA, n: 9 }, atomicB: { ...read.atomicB, n: 9 } })).rejects.toThrow(
            'Storage: error writing "atomicB" due to eTag conflict.',
        );
        const after = await storage.read(['atomicA', 'atomicB']);
        expect(after.atomicA.n).toBe(1);
        expect(after.atomicB.n).toBe(2);
    });
}
