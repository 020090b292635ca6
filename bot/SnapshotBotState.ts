import { BotState, type StatePropertyAccessor, type Storage, type TurnContext } from 'botbuilder';
import { SnapshotStateProperty } from './SnapshotStateProperty';

interface Cached {
    state: Record<string, unknown>;
    /** The state as JSON when it was read or last written: a save compares against it. */
    snapshot: string;
}

/**
 * BotState whose "did this turn change anything?" check is one native JSON.stringify compared with the JSON taken at
 * load, instead of botbuilder's key-sorting stringify plus a SHA-256, done three times per state per turn (load,
 * save, after the write): that alone was ~6% of a turn's CPU. Keys are those of botbuilder's ConversationState and
 * UserState (the factory decides), so stored state is read back unchanged.
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

    override createProperty<T = unknown>(name: string): StatePropertyAccessor<T> {
        return new SnapshotStateProperty<T>(this, name);
    }

    override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
        const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
        if (cached && !force) return cached.state;
        const key = this.keyOf(context);
        const items = await this.storage.read([key]);
        const state = (items[key] as Record<string, unknown> | undefined) ?? {};
        // Written back last-writer-wins, as botbuilder's BotState does (the turn lock keeps turns from overlapping):
        // marked so now, so the JSON compared at save is the very JSON that would be written.
        state.eTag = '*';
        context.turnState.set(this.cacheKey, { state, snapshot: JSON.stringify(state) } satisfies Cached);
        return state;
    }

    override async saveChanges(context: TurnContext, force = false): Promise<void> {
        const loaded = context.turnState.get(this.cacheKey) as Cached | undefined;
        if (!loaded && !force) return;
        const cached = loaded ?? { state: {}, snapshot: '' };
        cached.state.eTag = '*';
        const json = JSON.stringify(cached.state);
        if (!force && json === cached.snapshot) return;
        await this.storage.write({ [this.keyOf(context)]: cached.state });
        cached.snapshot = json;
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
