import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
    ComponentDialog,
    DialogSet,
    DialogTurnStatus,
    WaterfallDialog,
    type Dialog,
    type DialogState,
    type WaterfallStepContext,
    type DialogTurnResult,
} from './dialogsCore';
import type { Intent } from '../bot/nlu/NluResult';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { HANDOFF_DIALOG } from './HandoffDialog';

const MAIN_DIALOG = 'main';
const ROUTE_WATERFALL = 'main.route';

/** Every intent has a dialog: the compiler checks that none is missing. */
export type IntentRoutes = Record<Intent, Dialog>;

/** Routes each message to the dialog for its intent, or to the handoff when escalation fires. */
export class MainDialog extends ComponentDialog {
    private readonly routeIds: Record<Intent, string>;
    private dialogSet: DialogSet | undefined;

    constructor(routes: IntentRoutes, handoff: Dialog) {
        super(MAIN_DIALOG);
        const ids = {} as Record<Intent, string>;
        const added = new Set<string>();
        for (const [intent, dialog] of Object.entries(routes) as [Intent, Dialog][]) {
            ids[intent] = dialog.id;
            if (!added.has(dialog.id)) this.addDialog(dialog);
            added.add(dialog.id);
        }
        this.routeIds = ids;
        if (handoff.id !== HANDOFF_DIALOG) throw new Error('MainDialog: the handoff dialog must use HANDOFF_DIALOG');
        this.addDialog(handoff);
        this.addDialog(new WaterfallDialog(ROUTE_WATERFALL, [this.routeStep.bind(this)]));
        this.initialDialogId = ROUTE_WATERFALL;
    }

    /** Continues the active dialog, or starts routing when none is waiting for input. */
    async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
        // One DialogSet for the life of the bot: the accessor is the same every turn.
        if (!this.dialogSet) {
            this.dialogSet = new DialogSet(dialogState);
            this.dialogSet.add(this);
        }
        const dc = await this.dialogSet.createContext(context);
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
    }

    private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
        const understanding = TurnUnderstanding.get(step.context);
        if (!understanding) return step.endDialog();
        const target = understanding.escalate ? HANDOFF_DIALOG : this.routeIds[understanding.intent];
        return step.beginDialog(target);
    }
}
