import type { TurnContext } from 'botbuilder';
import type { ConversationMemory, OwnerProfile } from './ConversationMemory';
import type { DialogStateView } from './DialogStateReader';
import type { EscalationDecision } from './escalation/EscalationRules';
import type { KnowledgeHit } from './knowledge/KnowledgeService';
import type { NluTraceValue } from './nlu/NluResult';
import type { GapKind } from './outcomes/Outcome';

export interface TurnReading {
    /** The normalised text the owner sent. */
    text: string;
    nlu: NluTraceValue;
    /** The knowledge entry that answers this message, when one matched well enough. */
    knowledge: KnowledgeHit | null;
    /** The owner's profile (user state, updated from channelData.owner); flows add what they learn to it. */
    owner: OwnerProfile;
    /** 1 for the first message of the conversation. */
    turn: number;
    /** What the escalation rules decided, with the rule's name and the handoff's priority. */
    escalation: EscalationDecision;
    /** The conversation's memory (conversation state, saved with the turn): answers note what they said in it. */
    memory: ConversationMemory;
    /** Where the conversation was when the message came (also in the trace, `dialogState`). */
    dialogState: DialogStateView;
    /** A message Linli has no answer for (not sure, or out of scope): a knowledge gap for the monthly report. */
    gap: GapKind | null;
}

const KEY = Symbol('linli.understanding');

/** The turn's reading of the message, shared by the bot (which computes it) and the dialogs (which act on it). */
export const TurnUnderstanding = {
    set(context: TurnContext, value: TurnReading): void {
        context.turnState.set(KEY, value);
    },
    get(context: TurnContext): TurnReading | undefined {
        return context.turnState.get(KEY) as TurnReading | undefined;
    },
};
