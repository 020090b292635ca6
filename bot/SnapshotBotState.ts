import { BotState, type Storage, type TurnContext } from 'botbuilder';

interface Cached {
    state: Record<string, unknown>;
    /** The state as JSON when it was read or last written: a save compares against it. */
    snapshot: string;
}

/**
 * BotState whose "did this turn change anything?" check is one native JSON.stringify compared with the JSON taken at
 * load, instead of botbuilder's key-sorting stringify plus a SHA-256, done three times per state per turn (load,
 * save, after the write): that alone was ~6% of a turn's CPU. Keys are those of botbuilder's ConversationState and
 * UserState (the factory decides), so stored state is read back unchanged; the stored eTag is kept in the snapshot,
 * which is harmless: it only changes when we write.
 *
 * A false "changed" (keys re-inserted in another order) costs one extra write, never a lost one.
 */
export class SnapshotBotState extends BotState {
    private readonly cacheKey = Symbol('linli.state');

    constructor(
        storage: Storage,
        private readonly keyOf: (context: TurnContext) => string,
    ) {
        super(storage, async (context) => keyOf(context));
    }

    override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
        const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
        if (cached && !force) return cached.state;
        const key = this.keyOf(context);
        const items = await this.storage.read([key]);
        const state = (items[key] as Record<string, unknown> | undefined) ?? {};
        context.turnState.set(this.cacheKey, { state, snapshot: JSON.stringify(state) } satisfies Cached);
        return state;
    }

    override async saveChanges(context: TurnContext, force = false): Promise<void> {
        let cached = context.turnState.get(this.cacheKey) as Cached | undefined;
        if (!force && (!cached || JSON.stringify(cached.state) === cached.snapshot)) return;
        cached ??= { state: {}, snapshot: '' };
        // Last writer wins, as botbuilder's BotState does: the turn lock is what keeps turns from overlapping.
        cached.state.eTag = '*';
        await this.storage.write({ [this.keyOf(context)]: cached.state });
        cached.snapshot = JSON.stringify(cached.state);
        context.turnState.set(this.cacheKey, cached);
    }

    override async clear(context: TurnContext): Promise<void> {
        // An empty snapshot never equals "{}", so the cleared state is written at the next save.
        context.turnState.set(this.cacheKey, { state: {}, snapshot: '' } satisfies Cached);
    }

    override async delete(context: TurnContext): Promise<void> {
        context.turnState.delete(this.cacheKey);
        await this.storage.delete([this.keyOf(context)]);
    }

    override get(context: TurnContext): Record<string, unknown> | undefined {
        return (context.turnState.get(this.cacheKey) as Cached | undefined)?.state;
    }
}
