import { ActivityHandlerBase, ActivityTypes, TurnContext, type BotState, type ChannelAccount } from 'botbuilder';
import type { ConversationReferences } from './proactive/ConversationReferences';
import type { FollowUpOptions } from '../dialogs/FollowUpDialog';
import type { MainDialog } from '../dialogs/MainDialog';
import type { Phrasebook } from './Phrasebook';
import { TurnTickets } from './tickets/TurnTickets';
import type { TurnReader } from './TurnReader';
import type { OutcomeRecorder } from './outcomes/OutcomeRecorder';

export interface LinliBotDeps {
    conversationState: BotState;
    userState: BotState;
    reader: TurnReader;
    dialog: MainDialog;
    phrasebook: Phrasebook;
    references: ConversationReferences;
    /** Records a conversation's start and first reply, and the messages Linli had no answer for. */
    outcomes?: OutcomeRecorder;
    clock?: () => Date;
}

/** Turn-state key: store writes started during the turn, awaited with the state save. */
const PENDING_WRITES = Symbol('linli.pendingWrites');

/**
 * The turn: read the message, trace what was understood (emulator), hand over to the main dialog.
 * State is saved here, once, at the end of `run`.
 *
 * Built on ActivityHandlerBase's overridable methods rather than ActivityHandler's handler lists: Linli has one
 * handler per activity type, and ActivityHandler's event chain (turn → message → dialog, each through its own
 * handler runner) allocated some 15 KB a turn for nothing.
 */
export class LinliBot extends ActivityHandlerBase {
    constructor(private readonly deps: LinliBotDeps) {
        super();
    }

    protected override async onMessageActivity(context: TurnContext): Promise<void> {
        await this.handleMessage(context);
    }

    /** Called only when someone other than the bot joined (ActivityHandlerBase filters the bot out). */
    protected override async onMembersAddedActivity(_membersAdded: ChannelAccount[], context: TurnContext): Promise<void> {
        // In the owner's register when Linli knows them (someone who follows a WeChat account again, say).
        const persona = (await this.deps.reader.ownerProfile(context)).persona ?? 'default';
        await context.sendActivity(this.deps.phrasebook.say('welcome', persona));
    }

    override async run(context: TurnContext): Promise<void> {
        await this.withState(context, () => super.run(context));
    }

    /** Loads both states, runs `work`, saves them: the one place state is read and written in a turn. */
    private async withState<T>(context: TurnContext, work: () => Promise<T>): Promise<T> {
        // Both reads at once: on Redis they travel in one pipeline instead of two round trips.
        await Promise.all([this.deps.conversationState.load(context), this.deps.userState.load(context)]);
        const result = await work();
        // Writes the turn started on the side (the owner's address) finish together with the state: one round trip.
        const pending = (context.turnState.get(PENDING_WRITES) as Promise<void>[] | undefined) ?? [];
        await Promise.all([this.deps.conversationState.saveChanges(context), this.deps.userState.saveChanges(context), ...pending]);
        return result;
    }

    /** A proactive turn: opens the follow-up visit in the owner's conversation; false if the owner is busy with a flow. */
    async followUp(context: TurnContext, options: Omit<FollowUpOptions, 'persona'>): Promise<boolean> {
        return this.withState(context, async () => {
            const persona = (await this.deps.reader.ownerProfile(context)).persona ?? 'default';
            return this.deps.dialog.startFollowUp(context, this.deps.reader.dialogStateAccessor, { ...options, persona });
        });
    }

    /** A proactive turn: takes back a follow-up visit whose question did not reach the owner. */
    async abandonFollowUp(context: TurnContext, ticketId: string): Promise<void> {
        await this.withState(context, () => this.deps.dialog.abandonFollowUp(context, this.deps.reader.dialogStateAccessor, ticketId));
    }

    private async handleMessage(context: TurnContext): Promise<void> {
        if ((context.activity.text ?? '') === '') {
            await context.sendActivity(this.deps.phrasebook.say('empty_message'));
            return;
        }
        // A place shared from the channel's map (WeChat's location message, its text the place's label): the answer to
        // a flow asking where, or else offered as the place of a public-area report (a flat is still asked for).
        const shared = (context.activity.channelData as { sharedLocation?: { label?: unknown } } | undefined)?.sharedLocation;
        if (shared && !(await this.deps.reader.inFlow(context))) {
            const persona = (await this.deps.reader.ownerProfile(context)).persona ?? 'default';
            await context.sendActivity(this.deps.phrasebook.say('location_shared', persona, { label: String(shared.label ?? '') }));
            return;
        }
        const clock = this.deps.clock ?? (() => new Date());
        const startedAt = clock();
        const { nlu, turn, escalation, memory, gap, text } = await this.deps.reader.read(context);
        const pending: Promise<void>[] = [];
        context.turnState.set(PENDING_WRITES, pending);
        // Where this owner can be reached again (reminders, follow-ups): written once per conversation.
        if (turn === 1) {
            const write = this.deps.references.save(TurnContext.getConversationReference(context.activity));
            // Handled here too: if the turn fails before the save, the rejection must not go unhandled.
            write.catch(() => undefined);
            pending.push(write);
        }
        // Outcome figures cost a write on the first turn and on unanswered messages only, saved with the state.
        const { outcomes } = this.deps;
        if (outcomes && gap) pending.push(outcomes.knowledgeGap(context.activity.channelId, gap, text));
        if (context.activity.channelId === 'emulator') {
            await context.sendActivity({ type: ActivityTypes.Trace, name: 'linli.nlu', label: 'Linli understanding', valueType: 'linli/nlu', value: nlu });
        }
        await this.deps.dialog.run(context, this.deps.reader.dialogStateAccessor);
        if (outcomes && turn === 1) {
            const { conversation, channelId, from } = context.activity;
            pending.push(outcomes.conversationBegan({ conversationId: conversation.id, channelId, ownerId: from?.id ?? 'unknown' }, startedAt, context.responded ? clock() : null));
        }
        // The ticket this turn wrote, for the next turn's dialog state (a phone given after it belongs to it).
        const ticket = TurnTickets.get(context);
        if (ticket && 'written' in ticket) memory.lastTicket = ticket.written;
        // An `offer` rule: the answer stands, and a person is offered after it.
        if (escalation.offer) await context.sendActivity(this.deps.phrasebook.say('offer_person', nlu.persona));
    }
}
