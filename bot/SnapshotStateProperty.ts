import type { StatePropertyAccessor, TurnContext } from 'botbuilder';

/** What the property needs of its state: the turn's loaded object (or a load). */
export interface LoadableState {
    get(context: TurnContext): Record<string, unknown> | undefined;
    load(context: TurnContext): Promise<Record<string, unknown>>;
}

/**
 * botbuilder's property accessor semantics (a missing property gets a copy of the default) without its per-call
 * generator: once the state is loaded for the turn — every turn after the lock middleware — a read touches no promise
 * machinery beyond the async call itself. Dialogs read the dialog stack through this several times a turn.
 */
export class SnapshotStateProperty<T> implements StatePropertyAccessor<T> {
    constructor(
        private readonly state: LoadableState,
        readonly name: string,
    ) {}

    async get(context: TurnContext, defaultValue?: T): Promise<T> {
        const obj = this.state.get(context) ?? (await this.state.load(context));
        if (!Object.prototype.hasOwnProperty.call(obj, this.name) && defaultValue !== undefined) {
            // A copy, as botbuilder makes: the caller's default must not become the stored object.
            obj[this.name] = typeof defaultValue === 'object' && defaultValue !== null ? JSON.parse(JSON.stringify(defaultValue)) : defaultValue;
        }
        return obj[this.name] as T;
    }

    async set(context: TurnContext, value: T): Promise<void> {
        const obj = this.state.get(context) ?? (await this.state.load(context));
        obj[this.name] = value;
    }

    async delete(context: TurnContext): Promise<void> {
        const obj = this.state.get(context) ?? (await this.state.load(context));
        delete obj[this.name];
    }
}
