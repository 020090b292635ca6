import type { Dialog } from './dialogsCore';

/**
 * A dialog whose prompts sit beside it in its parent's dialog set instead of inside a ComponentDialog of its own.
 * botbuilder-dialogs builds a fresh dialog context, with its state manager and memory scopes, for every container
 * level on every turn; a flow's waterfall and its prompts need no container between them, so MainDialog holds both.
 * Prompt ids carry the owner's id, so two flows' prompts never collide.
 */
export interface DialogPrompts {
    readonly prompts: readonly Dialog[];
}

export function promptsOf(dialog: object): readonly Dialog[] {
    return (dialog as Partial<DialogPrompts>).prompts ?? [];
}
