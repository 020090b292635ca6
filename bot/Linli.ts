import { join } from 'node:path';
import { ConversationState, UserState, type BotAdapter, type BotState, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import { Redis } from 'ioredis';
import { InProcessTurnLock } from '../adapters/locks/InProcessTurnLock';
import { RedisTurnLock } from '../adapters/locks/RedisTurnLock';
import type { TurnLock } from '../adapters/locks/TurnLock';
import { conversationTtl, type PingableStorage } from '../adapters/storage/PingableStorage';
import { RedisStorage } from '../adapters/storage/RedisStorage';
import { SqliteStorage } from '../adapters/storage/SqliteStorage';
import { EmergencyDialog } from '../dialogs/EmergencyDialog';
import { FaqDialog } from '../dialogs/FaqDialog';
import { HandoffDialog } from '../dialogs/HandoffDialog';
import { MainDialog } from '../dialogs/MainDialog';
import { ReplyDialog } from '../dialogs/ReplyDialog';
import { ScriptDialog } from '../dialogs/ScriptDialog';
import { LateTicketDetails } from '../dialogs/LateTicketDetails';
import { TicketStatusDialog } from '../dialogs/TicketStatusDialog';
import { loadFlowScripts, type FlowScript } from './scripts/FlowScript';
import { KnowledgeBase } from './knowledge/KnowledgeBase';
import { KnowledgeRetriever } from './knowledge/KnowledgeRetriever';
import { KnowledgeService } from './knowledge/KnowledgeService';
import { SafetyAdvice } from './knowledge/SafetyAdvice';
import { RedisTicketStore } from '../adapters/tickets/RedisTicketStore';
import { SqliteTicketStore } from '../adapters/tickets/SqliteTicketStore';
import { ComplaintReporter } from './tickets/ComplaintReporter';
import { TicketService } from './tickets/TicketService';
import type { TicketStore } from './tickets/TicketStore';
import { WorkingCalendar } from './tickets/WorkingCalendar';
import type { Config } from './config';
import { EscalationRules } from './escalation/EscalationRules';
import { MessageShapeReader } from './nlu/MessageShape';
import { LinliBot } from './LinliBot';
import type { Logger } from './logger';
import { Metrics } from './Metrics';
import { ConversationLockMiddleware } from './middleware/ConversationLockMiddleware';
import { MetricsMiddleware } from './middleware/MetricsMiddleware';
import { TranscriptMiddleware } from './middleware/TranscriptMiddleware';
import { NormalizeMiddleware } from './middleware/NormalizeMiddleware';
import { TypingIndicatorMiddleware } from './middleware/TypingIndicatorMiddleware';
import { EntityExtractor } from './nlu/EntityExtractor';
import { NluRecognizer } from './nlu/NluRecognizer';
import { ReadingEvidence } from './nlu/ReadingEvidence';
import { ClarifyDialog } from '../dialogs/ClarifyDialog';
import { MODEL_FILE } from './nlu/trainModel';
import { Tokenizer } from './nlu/Tokenizer';
import { PROJECT_ROOT } from './paths';
import { SnapshotBotState } from './SnapshotBotState';
import { Phrasebook } from './Phrasebook';
import { TurnErrorHandler } from './TurnErrorHandler';
import { TurnReader, type TurnReaderDeps } from './TurnReader';
import { ConversationReferences } from './proactive/ConversationReferences';
import { FollowUpScheduler } from './proactive/FollowUpScheduler';
import { PaymentReminders } from './proactive/PaymentReminders';
import { FollowUpDialog } from '../dialogs/FollowUpDialog';
import { ThreadReplies } from '../dialogs/ThreadReplies';
import { HandoffStarter } from '../dialogs/HandoffStarter';
import { RedisHandoffStore } from '../adapters/handoffs/RedisHandoffStore';
import { SqliteHandoffStore } from '../adapters/handoffs/SqliteHandoffStore';
import { RedisTranscriptStore } from '../adapters/transcripts/RedisTranscriptStore';
import { SqliteTranscriptStore } from '../adapters/transcripts/SqliteTranscriptStore';
import { HandoffFeed } from './handoff/HandoffFeed';
import { HandoffService } from './handoff/HandoffService';
import { SuggestedReplies } from './handoff/SuggestedReplies';
import { loadHandoffSettings } from './handoff/HandoffSettings';
import { TicketComposer } from './tickets/TicketComposer';
import { loadTicketWording } from './tickets/TicketWording';
import type { HandoffStore } from './handoff/HandoffStore';
import { HandoffRoutingMiddleware } from './middleware/HandoffRoutingMiddleware';
import { PeriodicRound } from './proactive/PeriodicRound';
import type { TranscriptStore } from './transcripts/TranscriptStore';
import type { ReminderStore } from './proactive/ReminderStore';
import { RedisReminderStore } from '../adapters/reminders/RedisReminderStore';
import { SqliteReminderStore } from '../adapters/reminders/SqliteReminderStore';
import { randomUUID } from 'node:crypto';
import { ServiceUrlPolicy } from './http/ServiceUrlPolicy';
import { OwnerChannel, type ProactiveAdapter } from './proactive/OwnerChannel';
import { ProactiveStateWork } from './proactive/ProactiveStateWork';


export interface LinliOptions {
    /** Replaces the store chosen from the config (tests). */
    storage?: PingableStorage;
    lock?: TurnLock;
    ticketStore?: TicketStore;
    metrics?: Metrics;
    clock?: () => Date;
    /** The live feed for agents; built by `create` (over Redis pub/sub when REDIS_URL is set). */
    feed?: HandoffFeed;
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
    private readonly ticketStore: TicketStore;
    readonly handoffs: HandoffService;
    /** Replies from the training scripts that agents can send with one click. */
    readonly suggestions: SuggestedReplies;
    readonly feed: HandoffFeed;
    private readonly handoffStore: HandoffStore;
    private readonly transcripts: TranscriptStore;
    private readonly reminderStore: ReminderStore;
    private readonly router: HandoffRoutingMiddleware;
    /** The channel adapter's continueConversation, once a channel is attached (agents' words reach owners by it). */
    private ownerChannel: ((reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>) | undefined;
    private readonly phrasebook: Phrasebook;
    private readonly entities: EntityExtractor;
    private readonly lock: TurnLock;
    private readonly redis: Redis | undefined;
    /** Where Linli may send (SERVICE_URL_ALLOWLIST): checked on every incoming activity and every proactive send. */
    readonly serviceUrls: ServiceUrlPolicy;

    private constructor(
        private readonly config: Config,
        private readonly logger: Logger,
        options: LinliOptions,
        redis: Redis | undefined,
    ) {
        this.redis = redis;
        this.serviceUrls = new ServiceUrlPolicy(config.SERVICE_URL_ALLOWLIST);
        this.metrics = options.metrics ?? new Metrics();
        const ttl = conversationTtl(config.CONVERSATION_TTL_SECONDS);
        this.storage =
            options.storage ??
            (redis ? new RedisStorage(redis, config.REDIS_KEY_PREFIX, ttl) : new SqliteStorage(join(config.DATA_DIR, 'linli.sqlite'), ttl));
        this.lock = options.lock ?? (redis ? new RedisTurnLock(redis, config.REDIS_KEY_PREFIX, { logger }) : new InProcessTurnLock());

        const knowledgeDir = join(PROJECT_ROOT, 'knowledge');
        const clock = options.clock ?? (() => new Date());
        this.clock = clock;
        const calendar = WorkingCalendar.fromFile(join(knowledgeDir, 'calendar.json'));
        this.calendar = calendar;
        this.ticketStore = options.ticketStore ?? (redis ? new RedisTicketStore(redis, config.REDIS_KEY_PREFIX) : new SqliteTicketStore(join(config.DATA_DIR, 'tickets.sqlite')));
        this.tickets = new TicketService(this.ticketStore, calendar, clock);
        this.reports = new ComplaintReporter(this.tickets, calendar);
        this.metrics.watchTickets(() => this.tickets.countByStatus());
        this.handoffStore = redis ? new RedisHandoffStore(redis, config.REDIS_KEY_PREFIX) : new SqliteHandoffStore(join(config.DATA_DIR, 'handoffs.sqlite'));
        this.transcripts = redis
            ? new RedisTranscriptStore(redis, config.REDIS_KEY_PREFIX, config.CONVERSATION_TTL_SECONDS)
            : new SqliteTranscriptStore(join(config.DATA_DIR, 'transcripts.sqlite'));
        this.feed = options.feed ?? HandoffFeed.inProcess(logger);
        this.reminderStore = redis ? new RedisReminderStore(redis, config.REDIS_KEY_PREFIX) : new SqliteReminderStore(join(config.DATA_DIR, 'reminders.sqlite'));
        const base = KnowledgeBase.fromDirectory(knowledgeDir);
        this.phrasebook = Phrasebook.fromFile(join(PROJECT_ROOT, 'scripts', 'phrases.json'), base.estate);
        const tokenizer = new Tokenizer(join(knowledgeDir, 'nlu', 'domain-dict.txt'));
        const retriever = KnowledgeRetriever.forKnowledge(knowledgeDir, base.entries, tokenizer);
        // The retriever's own match is one of the signals understanding weighs (a strong match is evidence for faq).
        const evidence = ReadingEvidence.fromFile(join(knowledgeDir, 'nlu', 'evidence.json'), (text) => retriever.search(text)[0]?.metadata.score ?? 0);
        const recognizer = NluRecognizer.fromKnowledge(knowledgeDir, tokenizer, MODEL_FILE, evidence);
        const knowledge = new KnowledgeService(base, retriever, this.phrasebook);
        const safety = SafetyAdvice.fromFile(join(knowledgeDir, 'safety.json'));
        this.entities = new EntityExtractor(clock);

        // botbuilder's key layout, with a cheaper change check (SnapshotBotState).
        const conversationKeys = new ConversationState(this.storage);
        const userKeys = new UserState(this.storage);
        this.conversationState = new SnapshotBotState(this.storage, (context) => storageKey(conversationKeys.getStorageKey(context), 'conversation'));
        this.userState = new SnapshotBotState(this.storage, (context) => storageKey(userKeys.getStorageKey(context), 'user'));
        const reply = (id: string, phrase: Parameters<Phrasebook['say']>[0]) => new ReplyDialog(id, this.phrasebook, phrase);
        this.references = new ConversationReferences(this.storage);
        const composer = new TicketComposer(loadTicketWording(join(knowledgeDir, 'tickets.json')));
        const flowDeps = { tickets: this.tickets, composer, safety, calendar, clock, entities: this.entities, values: base.estate, references: this.references, phrasebook: this.phrasebook, logger };
        const scripts = [...loadFlowScripts(join(PROJECT_ROOT, 'scripts')).values()];
        const flows = new Map(scripts.map((script) => [script.trigger, new ScriptDialog(script, flowDeps)]));
        this.suggestions = new SuggestedReplies(scripts);
        const flow = (trigger: FlowScript['trigger']): ScriptDialog => {
            const dialog = flows.get(trigger);
            if (!dialog) throw new Error(`scripts/: no flow script has trigger "${trigger}"`);
            return dialog;
        };
        const faq = new FaqDialog('faq', this.phrasebook, knowledge);
        this.handoffs = new HandoffService({
            store: this.handoffStore,
            transcripts: this.transcripts,
            feed: this.feed,
            tickets: this.tickets,
            phrasebook: this.phrasebook,
            clock,
            continueConversation: (reference, logic) => {
                if (!this.ownerChannel) throw new Error('no channel adapter attached: owners can not be reached');
                return this.ownerChannel(reference, logic);
            },
            acceptTimeoutMs: config.HANDOFF_ACCEPT_TIMEOUT_SECONDS * 1000,
            minutesPerOwner: config.HANDOFF_MINUTES_PER_OWNER,
            settings: loadHandoffSettings(join(knowledgeDir, 'handoff.json')),
            logger,
        });
        this.router = new HandoffRoutingMiddleware(this.handoffs);
        this.metrics.watchHandoffs(async () => ({ queued: await this.handoffs.count('queued'), active: await this.handoffs.count('active') }));
        const starter = new HandoffStarter(this.handoffs, this.phrasebook, logger);
        const handoff = new HandoffDialog(this.phrasebook, starter, safety);
        const emergency = new EmergencyDialog(this.phrasebook, safety, this.tickets, composer, this.references, starter, logger, clock);
        this.dialog = new MainDialog(
            {
                greeting: reply('greeting', 'greeting'),
                thanks_bye: reply('thanks_bye', 'thanks_bye'),
                human_agent: handoff,
                faq,
                repair: flow('repair'),
                complaint: flow('complaint'),
                emergency,
                fee_arrears: {
                    hardship: flow('fee_arrears/hardship'),
                    service_dissatisfaction: flow('fee_arrears/service_dissatisfaction'),
                    misconception: new FaqDialog('arrears.misconception', this.phrasebook, knowledge, 'arrears_misconception_intro', 'arrears_shared'),
                },
                ticket_status: new TicketStatusDialog(this.phrasebook, this.tickets, calendar, clock),
                out_of_scope: reply('out_of_scope', 'out_of_scope'),
            },
            handoff,
            emergency,
            { phrasebook: this.phrasebook, faq, lateDetails: new LateTicketDetails(this.tickets, composer, this.phrasebook, clock, logger), clarify: new ClarifyDialog(this.phrasebook, evidence) },
            new FollowUpDialog(this.phrasebook, this.tickets),
            new ThreadReplies(this.phrasebook, faq, knowledge, this.handoffs),
        );
        // A broken rules file stops start-up here, naming the file and the field.
        this.readerParts = {
            recognizer,
            knowledge,
            escalation: EscalationRules.fromFile(join(knowledgeDir, 'escalation-rules.json')),
            shapes: MessageShapeReader.fromFile(join(knowledgeDir, 'message-shapes.json')),
        };
        this.reader = this.createReader(this.conversationState, this.userState);
        this.bot = new LinliBot({
            conversationState: this.conversationState,
            userState: this.userState,
            reader: this.reader,
            dialog: this.dialog,
            phrasebook: this.phrasebook,
            references: this.references,
        });    }

    /** Builds Linli on the store the config names; with REDIS_URL, waits briefly for the connection. */
    static async create(config: Config, logger: Logger, options: LinliOptions = {}): Promise<Linli> {
        let redis: Redis | undefined;
        if (config.REDIS_URL && !options.storage) {
            redis = new Redis(config.REDIS_URL, {
                // Fail fast while Redis is away: the owner hears a polite sentence instead of waiting on a queue.
                enableOfflineQueue: false,
                // Commands issued in the same tick (state reads of one turn, many turns at once) share a round trip.
                enableAutoPipelining: true,
                maxRetriesPerRequest: 1,
                commandTimeout: 2000,
                connectTimeout: 2000,
                retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
            });
            redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
            await waitForReady(redis, 2000).catch((error: Error) => logger.error({ err: error }, 'redis not ready at start-up'));
        }
        const feed = options.feed ?? (redis ? HandoffFeed.overRedis(redis, config.REDIS_KEY_PREFIX, logger) : undefined);
        return new Linli(config, logger, { ...options, ...(feed ? { feed } : {}) }, redis);
    }

    /** Installs the turn pipeline on a channel adapter (order matters: outermost first). */
    attach<T extends BotAdapter>(adapter: T): T {
        adapter.use(new MetricsMiddleware(this.metrics));
        adapter.use(new TranscriptMiddleware(this.logger, this.transcripts));
        adapter.use(new NormalizeMiddleware(this.phrasebook, this.config.MAX_MESSAGE_CHARS, this.logger));
        adapter.use(new TypingIndicatorMiddleware(this.logger));
        adapter.use(new ConversationLockMiddleware(this.lock, this.config.TURN_LOCK_TIMEOUT_MS, [this.conversationState, this.userState, this.router]));
        adapter.use(this.router);
        this.ownerChannel = this.ownerChannelOf(adapter).continueConversation;
        adapter.onTurnError = new TurnErrorHandler(this.conversationState, this.phrasebook, this.logger, this.metrics).handle;
        return adapter;
    }

    /** The way back to owners through a channel adapter, refusing at once an address Linli may not send to. */
    private ownerChannelOf(adapter: ProactiveAdapter): OwnerChannel {
        return new OwnerChannel(adapter, this.config.MICROSOFT_APP_ID ?? '', this.serviceUrls);
    }

    /** The follow-up scheduler for a channel adapter that can reach owners again (CloudAdapter). */
    followUps(adapter: CloudAdapter): FollowUpScheduler {
        return new FollowUpScheduler({
            tickets: this.tickets,
            references: this.references,
            lock: this.lock,
            stateWork: new ProactiveStateWork(this.lock, this.config.TURN_LOCK_TIMEOUT_MS),
            continueConversation: this.ownerChannelOf(adapter).continueConversation,
            startFollowUp: (context, options) => this.bot.followUp(context, options),
            abandonFollowUp: (context, ticketId) => this.bot.abandonFollowUp(context, ticketId),
            logger: this.logger,
        });
    }

    /** Payment reminders sent through a channel adapter that can reach owners again (CloudAdapter). */
    paymentReminders(adapter: CloudAdapter): PaymentReminders {
        return new PaymentReminders({
            references: this.references,
            phrasebook: this.phrasebook,
            continueConversation: this.ownerChannelOf(adapter).continueConversation,
            persona: async (context) => {
                await this.userState.load(context);
                return (await this.reader.ownerProfile(context)).persona ?? 'default';
            },
            clock: this.clock,
            localDay: (at) => this.calendar.localDay(at),
            store: this.reminderStore,
            newId: () => `R-${randomUUID()}`,
            addressRefusal: (serviceUrl) => this.serviceUrls.refusal(serviceUrl),
        });
    }

    /** Sends the payment reminders staff scheduled, when their time comes; one instance per round. */
    scheduledReminders(adapter: CloudAdapter): PeriodicRound {
        const reminders = this.paymentReminders(adapter);
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

    /** Closes handoffs nobody accepted in time (call-back ticket, owner told), one instance at a time. */
    handoffTimeouts(): PeriodicRound {
        return new PeriodicRound('handoff-timeouts', this.lock, this.logger, async () => (await this.handoffs.expireUnaccepted()).length);
    }

    /** Reclaims the space of expired conversation state in the embedded store (reads already ignore it). */
    expiredStateSweep(): PeriodicRound {
        return new PeriodicRound('expired-state', this.lock, this.logger, () => this.storage.sweepExpired());
    }

    async close(): Promise<void> {
        await this.feed.close();
        await this.storage.close();
        if (this.ticketStore instanceof SqliteTicketStore) this.ticketStore.close();
        if (this.handoffStore instanceof SqliteHandoffStore) this.handoffStore.close();
        if (this.transcripts instanceof SqliteTranscriptStore) this.transcripts.close();
        if (this.reminderStore instanceof SqliteReminderStore) this.reminderStore.close();
        this.redis?.disconnect();
    }
}

function waitForReady(redis: Redis, timeoutMs: number): Promise<void> {
    if (redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            redis.off('ready', onReady);
            reject(new Error(`redis not ready within ${timeoutMs} ms`));
        }, timeoutMs);
        const onReady = () => {
            clearTimeout(timer);
            resolve();
        };
        redis.once('ready', onReady);
    });
}

/** A state key from botbuilder's ConversationState/UserState layout; missing ids are a malformed activity. */
function storageKey(key: string | undefined, kind: 'conversation' | 'user'): string {
    if (!key) throw new Error(`${kind} state: the activity names no channel or ${kind} id`);
    return key;
}
