import type { TurnContext } from 'botbuilder';
import type { DialogState } from '../dialogs/dialogsCore';
import type { ConversationMemory } from './ConversationMemory';
import { HandoffRoutingMiddleware } from './middleware/HandoffRoutingMiddleware';
import type { MessageShape } from './nlu/MessageShape';

/** Where the conversation is when a message arrives: what understanding is given, and the `dialogState` trace. */
export interface DialogStateView {
    openFlow: string | null;
    awaitedSlot: string | null;
    handoffStatus: 'queued' | 'active' | null;
    lastAnswer: string | null;
    lastTicket: string | null;
    shape: MessageShape | null;
}

interface StackEntry {
    id: string;
    state?: { dialogs?: { dialogStack?: StackEntry[] } } | undefined;
}

/** The prompt ids ScriptDialog gives its slots: `<flow>.slot.<slot>`. */
const SLOT_PROMPT = /\.slot\.([A-Za-z]+)$/;
const MAIN_DIALOG = 'main';

/**
 * Reads the conversation's position from what the turn already loaded under its lock: the dialog stack (conversation
 * state), the handoff (HandoffRoutingMiddleware) and the conversation memory. No store reads of its own.
 */
export class DialogStateReader {
    static read(context: TurnContext, stack: DialogState, memory: ConversationMemory, shape: MessageShape | null): DialogStateView {
        const ids = flatten((stack.dialogStack ?? []) as StackEntry[]);
        // A flow's prompts are named after it (`repair.slot.location`): what is left is the flow itself.
        const flows = ids.filter((id) => id !== MAIN_DIALOG && !ids.some((other) => other !== id && id.startsWith(`${other}.`)));
        const slot = ids.map((id) => SLOT_PROMPT.exec(id)?.[1]).filter((s): s is string => s !== undefined).at(-1) ?? null;
        const handoff = HandoffRoutingMiddleware.handoffOf(context);
        const handoffStatus = handoff?.status === 'queued' || handoff?.status === 'active' ? handoff.status : null;
        return { openFlow: flows[0] ?? null, awaitedSlot: slot, handoffStatus, lastAnswer: memory.lastAnswer ?? null, lastTicket: memory.lastTicket ?? null, shape };
    }
}

/** The dialog ids on a stack, outermost first, with the stacks of component dialogs inside them. */
function flatten(stack: StackEntry[]): string[] {
    // botbuilder keeps the top of a stack at index 0; read from the bottom so the outermost comes first.
    return [...stack].reverse().flatMap((entry) => [entry.id, ...flatten(entry.state?.dialogs?.dialogStack ?? [])]);
}
