import type { TurnContext } from 'botbuilder';
import type { NluTraceValue } from './nlu/NluResult';

const KEY = Symbol('linli.understanding');

/** The turn's understanding, shared by the bot (which computes it) and the dialogs (which act on it). */
export const TurnUnderstanding = {
    set(context: TurnContext, value: NluTraceValue): void {
        context.turnState.set(KEY, value);
    },
    get(context: TurnContext): NluTraceValue | undefined {
        return context.turnState.get(KEY) as NluTraceValue | undefined;
    },
};
