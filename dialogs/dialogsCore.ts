/**
 * The parts of botbuilder-dialogs Linli uses, taken from the package's own modules rather than its index: the index
 * also loads every prompt and, with them, Recognizers-Text's tables, which cost ~0.4 s of start-up (measured:
 * 0.94 s for the index against 0.52 s for these). Import dialogs types from here, not from 'botbuilder-dialogs'.
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { Dialog, DialogReason, DialogTurnStatus, type DialogEvent, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export { DialogEvents } from 'botbuilder-dialogs/lib/dialogEvents';
export { DialogContext, type DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
export type { DialogStateManagerConfiguration } from 'botbuilder-dialogs/lib/memory/dialogStateManager';
/** The turn-state key under which DialogStateManager looks for (and caches) its configuration; not exported by the library. */
export const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';
