import { ConversationState, UserState, type BotAdapter, type BotState } from 'botbuilder';
import type { TurnLock } from './locks/TurnLock';
import type { PingableStorage } from './storage/PingableStorage';
import { MainDialog } from '../dialogs/MainDialog';
import { ComplaintReporter } from './tickets/ComplaintReporter';
import { TicketService } from './tickets/TicketService';
import type { TicketStore } from './tickets/TicketStore';
import { WorkingCalendar } from './tickets/WorkingCalendar';
import type { Config } from './config';
import { LinliBot } from './LinliBot';
import type { Logger } from './logger';
import { buildMainDialog } from './composition/buildMainDialog';
import { Content } from './composition/Content';
import { Stores, type StoreOverrides } from './composition/Stores';
import { Metrics } from './Metrics';
import { ConversationLockMiddleware } from './middleware/ConversationLockMiddleware';
import { MetricsMiddleware } from './middleware/MetricsMiddleware';
import { TranscriptMiddleware } from './middleware/TranscriptMiddleware';
import { NormalizeMiddleware } from './middleware/NormalizeMiddleware';
import { TypingIndicatorMiddleware } from './middleware/TypingIndicatorMiddleware';
import { ReplyPersonaMiddleware } from './middleware/ReplyPersonaMiddleware';
import { EntityExtractor } from './nlu/EntityExtractor';
import { SnapshotBotState } from './SnapshotBotState';
import { Phrasebook } from './Phrasebook';
import { TurnErrorHandler } from './TurnErrorHandler';
import { TurnReader, type TurnReaderDeps } from './TurnReader';
import { ConversationReferences } from './proactive/ConversationReferences';
import { FollowUpScheduler } from './proactive/FollowUpScheduler';
import { PaymentReminders } from './proactive/PaymentReminders';
import { HandoffFeed } from './handoff/HandoffFeed';
import { HandoffService } from './handoff/HandoffService';
import { SuggestedReplies } from './handoff/SuggestedReplies';
import { deskWords, type DeskWords } from './desk/DeskLabels';
import type { HandoffStore } from './handoff/HandoffStore';
import { HandoffRoutingMiddleware } from './middleware/HandoffRoutingMiddleware';
import { HandoffDispatcher } from './handoff/HandoffDispatcher';
import type { HandoffSettings } from './handoff/HandoffSettings';
import { StaffDirectory, type AgentPresence } from './staff/StaffDirectory';
import { PasswordHasher } from './staff/PasswordHasher';
import { PeriodicRound } from './proactive/PeriodicRound';
import type { TranscriptStore } from './transcripts/TranscriptStore';
import type { ReminderStore } from './proactive/ReminderStore';
import { randomUUID } from 'node:crypto';
import { ServiceUrlPolicy } from './http/ServiceUrlPolicy';
import { OwnerChannel, type ProactiveAdapter } from './channels/OwnerChannel';
import { BOT_FRAMEWORK_CHANNEL_IDS, OwnerChannelRegistry } from './channels/OwnerChannelRegistry';
import { ProactiveStateWork } from './proactive/ProactiveStateWork';
import type { RehearsalStore } from './rehearsal/RehearsalStore';
import type { ContinueConversation } from './proactive/reachOwner';
import type { ConversationLog } from './webchat/ConversationLog';
import type { ExpiringKeys } from './storage/ExpiringKeys';
import { OutcomeRecorder } from './outcomes/OutcomeRecorder';
import { KnowledgeGapReport } from './outcomes/KnowledgeGapReport';
import { SupervisorView } from './outcomes/SupervisorView';
import type { OutcomeStore } from './outcomes/OutcomeStore';


export interface LinliOptions extends StoreOverrides {
    metrics?: Metrics;
    clock?: () => Date;
}

/**
 * Everything a channel needs to run Linli's turns: the bot, its state and the middleware pipeline. Channels
 * (HTTP, console) call `attach(adapter)` so every one of them runs the same pipeline.
 */
export class Linli {
    readonly bot: LinliBot;
    readonly storage: PingableStorage;
    readonly metrics: Metrics;
    readonly conversationState: BotState;
    readonly userState: BotState;
    readonly tickets: TicketService;
    /** Exposed for dialog tests (DialogTestClient), which run the main dialog without the bot. */
    readonly dialog: MainDialog;
    readonly reader: TurnReader;
    private readonly references: ConversationReferences;
    private readonly readerParts: Pick<TurnReaderDeps, 'recognizer' | 'knowledge' | 'escalation' | 'shapes'>;
    readonly clock: () => Date;
    private readonly calendar: WorkingCalendar;
    readonly reports: ComplaintReporter;
    /** Records what happens in conversations (bot/outcomes), read by the report and the supervisor view. */
    readonly outcomes: OutcomeRecorder;
    readonly outcomeStore: OutcomeStore;
    /** The supervisor's view of the day: queue, agents' load, SLA breaches. */
    readonly supervisor: SupervisorView;
    private readonly ticketStore: TicketStore;
    readonly handoffs: HandoffService;
    /** Replies from the training scripts that agents can send with one click. */
    readonly suggestions: SuggestedReplies;
    /** What the agents' console shows codes and times with: its labels and the estate's clock. */
    readonly desk: { labels: DeskWords; utcOffsetMinutes: number };
    readonly feed: HandoffFeed;
    private readonly handoffStore: HandoffStore;
    private readonly transcripts: TranscriptStore;
    private readonly reminderStore: ReminderStore;
    private readonly router: HandoffRoutingMiddleware;
    /** The ways back to owners by channelId, filled as channels attach; every proactive message is sent through it. */
    readonly ownerChannels = new OwnerChannelRegistry();
    /** Every line Linli says outside the flows (channels say theirs from it too). */
    readonly phrasebook: Phrasebook;
    private readonly entities: EntityExtractor;
    private readonly lock: TurnLock;
    private readonly stores: Stores;
    /** Short-lived shared keys (markers, cached tokens) for channels that need them. */
    readonly expiringKeys: ExpiringKeys;
    /** Web chat's conversations and activity logs (the Direct Line endpoint's store). */
    readonly conversationLog: ConversationLog;
    readonly phrases: Phrasebook;
    /** Where Linli may send (SERVICE_URL_ALLOWLIST): checked on every incoming activity and every proactive send. */
    readonly serviceUrls: ServiceUrlPolicy;
    /** Trainers' rehearsals (bot/rehearsal), beside the other stores. */
    readonly rehearsals: RehearsalStore;
    /** Staff accounts (AGENT_TOKENS and stored ones), sessions and presence. */
    readonly staff: StaffDirectory;
    /** Offers queued handoffs to online agents with room. */
    readonly offers: HandoffDispatcher;
    /** The words the agents' queue shows for reasons, priorities and channels (knowledge/handoff.json). */
    readonly handoffWords: HandoffSettings['words'];
    /** How often the live feed writes a heartbeat and records the agent as seen (STAFF_HEARTBEAT_SECONDS). */
    readonly staffHeartbeatMs: number;

    private constructor(
        private readonly config: Config,
        private readonly logger: Logger,
        options: LinliOptions,
        stores: Stores,
    ) {
        this.stores = stores;
        this.serviceUrls = new ServiceUrlPolicy(config.SERVICE_URL_ALLOWLIST);
        this.metrics = options.metrics ?? new Metrics();
        this.storage = stores.storage;
        this.lock = stores.lock;
        this.expiringKeys = stores.expiringKeys;
        this.conversationLog = stores.conversationLog;

        const content = new Content();
        const clock = options.clock ?? (() => new Date());
        this.clock = clock;
        const calendar = content.calendar;
        this.calendar = calendar;
        this.ticketStore = stores.tickets;
        this.tickets = new TicketService(this.ticketStore, calendar, clock);
        this.outcomeStore = stores.outcomes;
        this.outcomes = new OutcomeRecorder(stores.outcomes, logger, clock);
        this.tickets.observe((before, after) => this.outcomes.ticketChanged(before, after));
        this.reports = new ComplaintReporter(this.tickets, calendar, { outcomes: stores.outcomes, gaps: new KnowledgeGapReport(content.knowledge, content.tokenizer, content.gapSettings) });
        this.watchCalendar(calendar, clock);
        this.metrics.watchTickets(() => this.tickets.countByStatus());
        this.handoffStore = stores.handoffs;
        this.transcripts = stores.transcripts;
        this.feed = stores.feed;
        this.reminderStore = stores.reminders;
        this.rehearsals = stores.rehearsals;
        this.phrasebook = content.phrasebook;
        this.phrases = content.phrasebook;
        this.entities = new EntityExtractor(clock);

        // botbuilder's key layout, with a cheaper change check (SnapshotBotState).
        const conversationKeys = new ConversationState(this.storage);
        const userKeys = new UserState(this.storage);
        this.conversationState = new SnapshotBotState(this.storage, (context) => storageKey(conversationKeys.getStorageKey(context), 'conversation'));
        this.userState = new SnapshotBotState(this.storage, (context) => storageKey(userKeys.getStorageKey(context), 'user'));
        this.references = new ConversationReferences(this.storage);
        this.suggestions = new SuggestedReplies(content.deskReplies, content.base.estate.hotline);
        this.desk = { labels: deskWords(content.deskLabels, content.handoffSettings.words), utcOffsetMinutes: calendar.utcOffsetMinutes };
        const announcePresence = async ({ account, status }: AgentPresence) => this.feed.publish({ type: 'agent.presence', agent: { name: account.name, displayName: account.displayName, status } });
        this.staff = new StaffDirectory({
            store: stores.staff,
            tokens: config.AGENT_TOKENS,
            hasher: new PasswordHasher(),
            clock,
            sessionMs: config.STAFF_SESSION_HOURS * 3_600_000,
            awayMs: config.STAFF_AWAY_SECONDS * 1000,
            logger,
            onPresence: announcePresence,
        });
        this.handoffs = new HandoffService({
            store: this.handoffStore,
            transcripts: this.transcripts,
            feed: this.feed,
            tickets: this.tickets,
            phrasebook: this.phrasebook,
            clock,
            continueConversation: this.ownerChannels.continueConversation,
            acceptTimeoutMs: config.HANDOFF_ACCEPT_TIMEOUT_SECONDS * 1000,
            urgentEscalateMs: config.HANDOFF_URGENT_ESCALATE_SECONDS * 1000,
            safetyReminderMs: config.HANDOFF_SAFETY_REMINDER_SECONDS * 1000,
            offerMs: config.HANDOFF_OFFER_SECONDS * 1000,
            safetySteps: (words) => content.safety.stepsFor(words).steps.map((step, i) => `${i + 1}. ${step}`).join('\n'),
            onQueueChanged: () => this.offers.kick(),
            minutesPerOwner: config.HANDOFF_MINUTES_PER_OWNER,
            settings: content.handoffSettings,
            logger,
            outcomes: this.outcomes,
        });
        this.handoffWords = content.handoffSettings.words;
        this.staffHeartbeatMs = config.STAFF_HEARTBEAT_SECONDS * 1000;
        this.offers = new HandoffDispatcher(this.handoffs, this.staff, logger, clock, announcePresence);
        this.offers.useRound(new PeriodicRound('handoff-offers', this.lock, logger, () => this.offers.round()));
        this.router = new HandoffRoutingMiddleware(this.handoffs);
        this.supervisor = new SupervisorView({ handoffs: this.handoffs, tickets: this.tickets, outcomes: stores.outcomes, calendar, clock, roster: () => this.staff.roster() });
        this.metrics.watchHandoffs(async () => ({ queued: await this.handoffs.count('queued'), active: await this.handoffs.count('active') }));
        this.dialog = buildMainDialog({ content, tickets: this.tickets, handoffs: this.handoffs, references: this.references, entities: this.entities, clock, logger });
        this.readerParts = { recognizer: content.recognizer, knowledge: content.knowledge, escalation: content.escalation, shapes: content.shapes };
        this.reader = this.createReader(this.conversationState, this.userState);
        this.bot = new LinliBot({
            conversationState: this.conversationState,
            userState: this.userState,
            reader: this.reader,
            dialog: this.dialog,
            phrasebook: this.phrasebook,
            references: this.references,
            outcomes: this.outcomes,
            clock,
        });
    }

    /**
     * Deadlines this year and next (three working days can cross New Year) count on the holiday library; a year it does
     * not cover yet falls back to weekends only: said once at start-up and kept on /metrics.
     */
    private watchCalendar(calendar: WorkingCalendar, clock: () => Date): void {
        const years = () => {
            const year = Number(calendar.localDay(clock()).slice(0, 4));
            return [year, year + 1].map((y) => ({ year: y, fallback: !calendar.coversYear(y) }));
        };
        this.metrics.watchCalendarFallback(years);
        const uncovered = years().filter((y) => y.fallback);
        if (uncovered.length > 0)
            this.logger.warn(
                { years: uncovered.map((y) => y.year), overriddenDays: calendar.overriddenDays(uncovered.map((y) => y.year)) },
                'holidays for these years are not in chinese-days yet: working days fall back to weekends only, with the single days knowledge/calendar.json overrides; update chinese-days when the State Council publishes the arrangement',
            );
    }

    /** Builds Linli on the store the config names; with REDIS_URL, waits briefly for the connection. */
    static async create(config: Config, logger: Logger, options: LinliOptions = {}): Promise<Linli> {
        return new Linli(config, logger, options, await Stores.open(config, logger, options));
    }

    /**
     * Installs the turn pipeline on a channel adapter (order matters: outermost first) and registers the adapter as
     * the way back to owners on `channelIds`; without them, on the Bot Framework's channels and as the default.
     */
    attach<T extends BotAdapter>(adapter: T, channelIds?: readonly string[]): T {
        this.installPipeline(adapter);
        const channel = this.ownerChannelOf(adapter).continueConversation;
        if (channelIds) {
            this.ownerChannels.register(channelIds, channel);
        } else {
            this.ownerChannels.register(BOT_FRAMEWORK_CHANNEL_IDS, channel);
            this.ownerChannels.registerDefault(channel);
        }
        return adapter;
    }

    /**
     * Installs the pipeline on a channel Linli serves itself (web chat, WeChat), reached back through `channel` rather than
     * the Bot Framework connector: no serviceUrl is involved.
     */
    attachOwn<T extends BotAdapter>(adapter: T, channelIds: readonly string[], channel: ContinueConversation): T {
        this.installPipeline(adapter);
        // Linli's own pages read who they are talking to (the owner page offers large text to an elderly owner).
        adapter.use(new ReplyPersonaMiddleware());
        this.ownerChannels.registerOwn(channelIds, channel);
        return adapter;
    }

    private installPipeline(adapter: BotAdapter): void {
        adapter.use(new MetricsMiddleware(this.metrics));
        adapter.use(new TranscriptMiddleware(this.logger, this.transcripts));
        adapter.use(new NormalizeMiddleware(this.phrasebook, this.config.MAX_MESSAGE_CHARS, this.logger));
        adapter.use(new TypingIndicatorMiddleware(this.logger));
        adapter.use(new ConversationLockMiddleware(this.lock, this.config.TURN_LOCK_TIMEOUT_MS, [this.conversationState, this.userState, this.router]));
        adapter.use(this.router);
        adapter.onTurnError = new TurnErrorHandler(this.conversationState, this.phrasebook, this.logger, this.metrics).handle;
    }

    /** The way back to owners through a channel adapter, refusing at once an address Linli may not send to. */
    private ownerChannelOf(adapter: ProactiveAdapter): OwnerChannel {
        return new OwnerChannel(adapter, this.config.MICROSOFT_APP_ID ?? '', this.serviceUrls);
    }

    /** The follow-up scheduler, reaching owners through the registry (the adapter argument is no longer needed). */
    followUps(_attached?: BotAdapter): FollowUpScheduler {
        return new FollowUpScheduler({
            tickets: this.tickets,
            references: this.references,
            lock: this.lock,
            stateWork: new ProactiveStateWork(this.lock, this.config.TURN_LOCK_TIMEOUT_MS),
            continueConversation: this.ownerChannels.continueConversation,
            startFollowUp: (context, options) => this.bot.followUp(context, options),
            abandonFollowUp: (context, ticketId) => this.bot.abandonFollowUp(context, ticketId),
            logger: this.logger,
        });
    }

    /** Payment reminders, sent through the registry (the adapter argument is no longer needed). */
    paymentReminders(_attached?: BotAdapter): PaymentReminders {
        return new PaymentReminders({
            references: this.references,
            phrasebook: this.phrasebook,
            continueConversation: this.ownerChannels.continueConversation,
            persona: async (context) => {
                await this.userState.load(context);
                return (await this.reader.ownerProfile(context)).persona ?? 'default';
            },
            clock: this.clock,
            localDay: (at) => this.calendar.localDay(at),
            store: this.reminderStore,
            newId: () => `R-${randomUUID()}`,
            // Channels with their own way back (web chat, WeChat) have no serviceUrl to check.
            addressRefusal: (reference) => (this.ownerChannels.servesItself(reference.channelId) ? null : this.serviceUrls.refusal(reference.serviceUrl)),
        });
    }

    /** Sends the payment reminders staff scheduled, when their time comes; one instance per round. */
    scheduledReminders(_attached?: BotAdapter): PeriodicRound {
        const reminders = this.paymentReminders();
        return new PeriodicRound('payment-reminders', this.lock, this.logger, () => reminders.sendDue());
    }

    /** A reader of owner messages on the given states (dialog tests give their own). */
    createReader(conversationState: BotState, userState: BotState, dialogStateProperty?: string): TurnReader {
        return new TurnReader({
            conversationState,
            userState,
            ...this.readerParts,
            entities: this.entities,
            metrics: this.metrics,
            clock: this.clock,
            logger: this.logger,
            ...(dialogStateProperty ? { dialogStateProperty } : {}),
        });
    }

    /** Loads what is left to load lazily (the date recogniser), so no owner's turn pays for it. */
    warm(): void {
        this.entities.warm();
    }

    /**
     * Warms up once no turn is in flight (checked every `pollMs`), or after `maxWaitMs` whatever the load: the half
     * second it blocks for should not land on the first owners' turns after a start, nor wait so long that it lands
     * in the middle of steady traffic instead.
     */
    warmWhenQuiet(pollMs = 100, maxWaitMs = 2_000): void {
        const deadline = Date.now() + maxWaitMs;
        const attempt = () => {
            if (this.metrics.turnsInFlight > 0 && Date.now() < deadline) {
                setTimeout(attempt, pollMs).unref();
                return;
            }
            this.warm();
        };
        setTimeout(attempt, pollMs).unref();
    }

    /**
     * Closes priority 3–5 handoffs nobody accepted in time (call-back ticket, owner told) and escalates urgent ones (they
     * stay queued; the owner is reminded of the safety steps), one instance at a time. Counts the handoffs closed.
     */
    handoffTimeouts(): PeriodicRound {
        return new PeriodicRound('handoff-timeouts', this.lock, this.logger, async () => {
            const closed = (await this.handoffs.expireUnaccepted()).length;
            await this.handoffs.escalateUrgent();
            return closed;
        });
    }

    /** Offers queued handoffs to online agents with room and moves lapsed offers on (HandoffDispatcher). */
    handoffOffers(): PeriodicRound {
        return new PeriodicRound('handoff-offers', this.lock, this.logger, () => this.offers.round());
    }

    /** Reclaims the space of expired conversation state in the embedded store (reads already ignore it). */
    expiredStateSweep(): PeriodicRound {
        return new PeriodicRound('expired-state', this.lock, this.logger, () => this.storage.sweepExpired());
    }

    async close(): Promise<void> {
        await this.stores.close();
    }
}

/** A state key from botbuilder's ConversationState/UserState layout; missing ids are a malformed activity. */
function storageKey(key: string | undefined, kind: 'conversation' | 'user'): string {
    if (!key) throw new Error(`${kind} state: the activity names no channel or ${kind} id`);
    return key;
}
