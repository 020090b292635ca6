import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { ArrearsType, Intent, NluTraceValue } from '../bot/nlu/NluResult';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import type { FaqDialog } from './FaqDialog';
import { FOLLOW_UP_DIALOG, type FollowUpOptions } from './FollowUpDialog';
import {
    ComponentDialog,
    Dialog,
    type DialogContext,
    type DialogEvent,
    DialogEvents,
    DialogSet,
    DIALOG_STATE_MANAGER_CONFIGURATION,
    type DialogStateManagerConfiguration,
    DialogTurnStatus,
    type DialogState,
    type DialogTurnResult,
} from './dialogsCore';
import { promptsOf } from './DialogPrompts';
import { ScriptDialog } from './ScriptDialog';
import { EMERGENCY_DIALOG, type EmergencyDialog } from './EmergencyDialog';
import type { LateTicketDetails } from './LateTicketDetails';
import { HANDOFF_DIALOG } from './HandoffDialog';
import { answersInOneTurn } from './OneTurnAnswer';
import type { ThreadReplies } from './ThreadReplies';

const MAIN_DIALOG = 'main';
const CANCEL = /^(算了|取消|不用了|不要了|不办了|先不办|不弄了|退出|cancel)|算了吧/i;
/** Turn-state key: the stored flow was started by other scripts than the ones loaded now. */
const FLOWS_CHANGED = Symbol('linli.flowsChanged');

/** A dialog for every intent, and for arrears one per cause: the compiler checks that none is missing. */
export type IntentRoutes = Record<Exclude<Intent, 'fee_arrears'>, Dialog> & { fee_arrears: Record<ArrearsType, Dialog> };

/**
 * Routes each message to the dialog for its intent (arrears by cause), or, when escalation fires, to the handoff —
 * by way of the safety steps when it is an emergency.
 */
export class MainDialog extends ComponentDialog {
    private readonly routes: IntentRoutes;
    private dialogSet: DialogSet | undefined;
    private memoryConfiguration: DialogStateManagerConfiguration | undefined;

    constructor(
        routes: IntentRoutes,
        private readonly handoff: Dialog,
        private readonly emergency: EmergencyDialog,
        private readonly interruptions: { phrasebook: Phrasebook; faq: FaqDialog; lateDetails: LateTicketDetails; clarify: Dialog },
        followUp: Dialog,
        /** Replies that follow from where the conversation is (a queued handoff, a message without words). */
        private readonly thread?: ThreadReplies,
    ) {
        super(MAIN_DIALOG);
        this.addDialog(followUp);
        if (handoff.id !== HANDOFF_DIALOG || emergency.id !== EMERGENCY_DIALOG) throw new Error('MainDialog: unexpected handoff/emergency dialog ids');
        this.routes = routes;
        const all: Dialog[] = [handoff, emergency, interruptions.clarify, ...Object.values(routes.fee_arrears)];
        for (const [intent, dialog] of Object.entries(routes)) if (intent !== 'fee_arrears') all.push(dialog as Dialog);
        const added = new Set<string>();
        for (const dialog of all) {
            if (added.has(dialog.id)) continue;
            added.add(dialog.id);
            this.addDialog(dialog);
            for (const prompt of promptsOf(dialog)) this.addDialog(prompt);
        }
    }

    /** Continues the active dialog, or starts routing when none is waiting for input. */
    async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
        if (this.thread && (await this.thread.handle(context))) return;
        const nlu = TurnUnderstanding.get(context)?.nlu;
        if (nlu && ((await dialogState.get(context, { dialogStack: [] })).dialogStack ?? []).length === 0) {
            // A phone or place sent after the ticket was opened belongs to that ticket, not to a new matter.
            if (await this.interruptions.lateDetails.take(context)) return;
            const target = this.target(nlu);
            if (answersInOneTurn(target)) return target.answer(context);
        }
        const dc = await this.createContext(context, dialogState);
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
    }

    /**
     * Starts the follow-up visit in an owner's conversation (a proactive turn). Returns false, and starts nothing,
     * while the owner is in the middle of something else: the scheduler tries again later.
     */
    async startFollowUp(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, options: FollowUpOptions): Promise<boolean> {
        const dc = await this.createContext(context, dialogState);
        // An emergency past its window no longer holds the conversation: the visit may take its place.
        const inner = dc.child?.activeDialog;
        if (inner?.id === EMERGENCY_DIALOG && !this.emergency.isOpen(inner.state)) await dc.cancelAllDialogs();
        if (dc.activeDialog) return false;
        await dc.beginDialog(this.id, { followUp: options });
        return true;
    }

    /** Ends the follow-up visit for `ticketId` if it is what the conversation waits on (its question never arrived). */
    async abandonFollowUp(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, ticketId: string): Promise<void> {
        const dc = await this.createContext(context, dialogState);
        const visit = dc.child;
        if (visit?.activeDialog?.id !== FOLLOW_UP_DIALOG) return;
        // The visit's steps (the bottom of its stack; the top is the last entry) keep the options it was opened with.
        const steps = visit.child?.stack[0];
        if ((steps?.state as { options?: Partial<FollowUpOptions> } | undefined)?.options?.ticketId !== ticketId) return;
        await dc.cancelAllDialogs();
    }

    private async createContext(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<DialogContext> {
        // One DialogSet for the life of the bot: the accessor is the same every turn.
        if (!this.dialogSet) {
            this.dialogSet = new DialogSet(dialogState);
            this.dialogSet.add(this);
        }
        // botbuilder-dialogs builds its memory-scope configuration anew each turn (a service collection, zod checks on
        // every registered component): a few percent of a turn's CPU. The scopes hold no per-turn state, so the first
        // turn's configuration is handed to every later one through the turn-state key the library looks up.
        if (this.memoryConfiguration) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.memoryConfiguration);
        const dc = await this.dialogSet.createContext(context);
        this.memoryConfiguration ??= dc.state.configuration;
        return dc;
    }

    /**
     * Interruptions while a flow waits for an answer: danger or a request for a person ends the flow and routes anew;
     * "算了" cancels it; a question is answered and the flow asks its pending question again.
     */
    protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(innerDc.context);
        if (innerDc.context.turnState.get(FLOWS_CHANGED)) {
            // Its step numbers belong to the old script: resuming could file an answer under the wrong question.
            await innerDc.cancelAllDialogs();
            await innerDc.context.sendActivity(this.interruptions.phrasebook.say('flow_changed', reading?.nlu.persona));
            return { status: DialogTurnStatus.complete };
        }
        if (reading && innerDc.activeDialog?.id === EMERGENCY_DIALOG) {
            // An open emergency keeps the thread: its place, details, questions and the same alarm again go to it.
            if (this.emergency.holds(innerDc)) return super.onContinueDialog(innerDc);
            await innerDc.cancelAllDialogs();
            return this.route(innerDc);
        }
        const flow = reading ? this.openScript(innerDc) : null;
        if (reading && flow) {
            // A flow reads its own answers first: a refusal the classifier took for danger, a question about the hazard.
            if (reading.nlu.escalate && reading.nlu.escalationReason === 'emergency' && flow.dialog.takesDespiteAlarm(flow.promptId, reading.text)) {
                return super.onContinueDialog(innerDc);
            }
            const aside = reading.nlu.escalate ? null : flow.dialog.answerAside(flow.state, reading.text);
            if (aside) {
                await innerDc.context.sendActivity(aside);
                await innerDc.repromptDialog();
                return Dialog.EndOfTurn;
            }
        }
        if (reading) {
            if (reading.nlu.escalate) {
                await innerDc.cancelAllDialogs();
                return this.route(innerDc);
            }
            if (CANCEL.test(reading.text)) {
                await innerDc.context.sendActivity(this.interruptions.phrasebook.say('flow_cancelled', reading.nlu.persona));
                return innerDc.cancelAllDialogs();
            }
            if (reading.nlu.intent === 'faq' && reading.knowledge) {
                await this.interruptions.faq.answer(innerDc.context);
                await innerDc.repromptDialog();
                return Dialog.EndOfTurn;
            }
        }
        return super.onContinueDialog(innerDc);
    }

    /**
     * botbuilder-dialogs notices when the dialogs under MainDialog differ from those a stored conversation was started
     * with — a trainer edited a script (added or removed a step) and Linli restarted — and asks whether anyone handles
     * it. We do: the flow under way is ended politely (onContinueDialog) instead of resumed at a step that moved.
     */
    protected override async onPreBubbleEvent(dc: DialogContext, event: DialogEvent): Promise<boolean> {
        if (event.name === DialogEvents.versionChanged) {
            // Only this conversation's own flow matters: an edit to another script leaves it where it was.
            if (!this.stackStillFits(this.createChildContext(dc))) dc.context.turnState.set(FLOWS_CHANGED, true);
            return true;
        }
        return super.onPreBubbleEvent(dc, event);
    }

    /** The flow on the inner stack (below its prompt), its instance state and the prompt waiting for an answer. */
    private openScript(inner: DialogContext): { dialog: ScriptDialog; state: unknown; promptId: string } | null {
        // The top of a botbuilder stack is its last entry: the prompt, above the flow that asked it.
        const top = inner.stack.at(-1);
        for (const instance of inner.stack.slice(0, -1)) {
            const dialog = this.findDialog(instance.id);
            if (dialog instanceof ScriptDialog) return { dialog, state: instance.state, promptId: top?.id ?? '' };
        }
        return null;
    }

    /** Every dialog on the inner stack still exists, and a flow on it was started with the flow's current shape. */
    private stackStillFits(inner: DialogContext | undefined): boolean {
        return (inner?.stack ?? []).every((instance) => {
            const dialog = this.findDialog(instance.id);
            return dialog !== undefined && (!(dialog instanceof ScriptDialog) || dialog.startedAsNow(instance.state));
        });
    }

    /** Starts the dialog for this turn's message (or the follow-up visit a proactive turn asked for) directly. */
    protected override async onBeginDialog(innerDc: DialogContext, options?: { followUp?: FollowUpOptions }): Promise<DialogTurnResult> {
        if (options?.followUp) return innerDc.beginDialog(FOLLOW_UP_DIALOG, options.followUp);
        return this.route(innerDc);
    }

    private async route(innerDc: DialogContext): Promise<DialogTurnResult> {
        const nlu = TurnUnderstanding.get(innerDc.context)?.nlu;
        if (!nlu) return { status: DialogTurnStatus.complete };
        return innerDc.beginDialog(this.target(nlu).id);
    }

    /** The dialog for what the owner said: escalations first, arrears by cause, everything else by intent. */
    private target(nlu: NluTraceValue): Dialog {
        // A threat of self-harm the lexicons confirm (reason safety) gets the handoff's care first, even when the
        // classifier reads it as an emergency (the coverage grid files self-harm under emergency).
        if (nlu.escalate) return nlu.intent === 'emergency' && nlu.escalationReason === 'emergency' ? this.emergency : this.handoff;
        // Two readings too close to guess between: one short question with buttons instead of a guess.
        if (nlu.clarify) return this.interruptions.clarify;
        if (nlu.intent === 'fee_arrears') {
            const cause: ArrearsType = nlu.sub === 'hardship' || nlu.sub === 'misconception' ? nlu.sub : 'service_dissatisfaction';
            return this.routes.fee_arrears[cause];
        }
        return this.routes[nlu.intent];
    }
}
