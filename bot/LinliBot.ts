import {
    ActivityHandler,
    ActivityTypes,
    type BotState,
    type StatePropertyAccessor,
    type TurnContext,
} from 'botbuilder';
import type { DialogState } from '../dialogs/dialogsCore';
import type { MainDialog } from '../dialogs/MainDialog';
import { emptyMemory, type ConversationMemory, type OwnerProfile } from './ConversationMemory';
import type { EscalationPolicy } from './EscalationPolicy';
import type { KnowledgeService } from './knowledge/KnowledgeService';
import type { Metrics } from './Metrics';
import type { Phrasebook } from './Phrasebook';
import { NluTraceValue, type Persona } from './nlu/NluResult';
import { personaFromBirthYear } from './nlu/PersonaDetector';
import type { EntityExtractor } from './nlu/EntityExtractor';
import type { Recognizer } from './nlu/Recognizer';
import { TurnUnderstanding } from './TurnUnderstanding';

export interface LinliBotDeps {
    conversationState: BotState;
    userState: BotState;
    dialog: MainDialog;
    recognizer: Recognizer;
    knowledge: KnowledgeService;
    entities: EntityExtractor;
    escalation: EscalationPolicy;
    phrasebook: Phrasebook;
    metrics: Metrics;
    clock: () => Date;
}

interface OwnerChannelData {
    owner?: { birthYear?: unknown; name?: unknown; phone?: unknown; building?: unknown; unit?: unknown; room?: unknown };
}

/**
 * The turn: understand the message, apply conversation-level rules, trace, hand over to the main dialog.
 * State is saved here, once, at the end of `run`.
 */
export class LinliBot extends ActivityHandler {
    private readonly memory: StatePropertyAccessor<ConversationMemory>;
    private readonly profile: StatePropertyAccessor<OwnerProfile>;
    private readonly dialogState: StatePropertyAccessor<DialogState>;

    constructor(private readonly deps: LinliBotDeps) {
        super();
        this.memory = deps.conversationState.createProperty<ConversationMemory>('memory');
        this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
        this.profile = deps.userState.createProperty<OwnerProfile>('profile');

        this.onMessage(async (context, next) => {
            await this.handleMessage(context);
            await next();
        });
        this.onMembersAdded(async (context, next) => {
            const botId = context.activity.recipient?.id;
            const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
            if (joined) await context.sendActivity(this.deps.phrasebook.say('welcome'));
            await next();
        });
    }

    override async run(context: TurnContext): Promise<void> {
        // Both reads at once: on Redis they travel in one pipeline instead of two round trips.
        await Promise.all([this.deps.conversationState.load(context), this.deps.userState.load(context)]);
        await super.run(context);
        await Promise.all([this.deps.conversationState.saveChanges(context), this.deps.userState.saveChanges(context)]);
    }

    private async handleMessage(context: TurnContext): Promise<void> {
        const memory = await this.memory.get(context, emptyMemory());
        memory.turns += 1;
        const text = context.activity.text ?? '';
        if (text === '') {
            await context.sendActivity(this.deps.phrasebook.say('empty_message'));
            return;
        }
        const profile = await this.profile.get(context, {});
        const understanding = this.deps.recognizer.recognize(text);
        const persona = this.persona(context, profile, understanding.persona);
        const asksKnowledge = understanding.intent === 'faq' || (understanding.intent === 'fee_arrears' && understanding.sub === 'misconception');
        const knowledge = asksKnowledge ? this.deps.knowledge.lookup(text) : null;
        // While a flow waits for an answer ("3号楼", a phone number), the message is understood by the flow.
        const inFlow = ((await this.dialogState.get(context, { dialogStack: [] })).dialogStack ?? []).length > 0;
        const notUnderstood =
            !inFlow && ((understanding.intent === 'out_of_scope' && understanding.confidence < 0.5) || (understanding.intent === 'faq' && !knowledge));
        const decision = this.deps.escalation.decide(understanding, memory, notUnderstood);
        const value = NluTraceValue.parse({
            intent: understanding.intent,
            sub: understanding.sub,
            confidence: Math.round(understanding.confidence * 1000) / 1000,
            persona,
            emotion: understanding.emotion,
            escalate: decision.escalate,
            escalationReason: decision.reason,
            entities: this.deps.entities.extract(text),
        });
        this.rememberOwner(context, profile);
        TurnUnderstanding.set(context, { text, nlu: value, knowledge, owner: profile });
        this.deps.metrics.intents.inc({ intent: value.intent });
        if (value.escalationReason) this.deps.metrics.escalations.inc({ reason: value.escalationReason });
        if (context.activity.channelId === 'emulator') {
            await context.sendActivity({
                type: ActivityTypes.Trace,
                name: 'linli.nlu',
                label: 'Linli understanding',
                valueType: 'linli/nlu',
                value,
            });
        }
        await this.deps.dialog.run(context, this.dialogState);
    }

    /** What the channel says about the owner (channelData.owner) is kept in the profile, so flows need not ask it. */
    private rememberOwner(context: TurnContext, profile: OwnerProfile): void {
        const owner = (context.activity.channelData as OwnerChannelData | undefined)?.owner;
        if (!owner) return;
        for (const field of ['name', 'phone', 'building', 'unit', 'room'] as const) {
            const value = owner[field];
            if (typeof value === 'string' && value.trim() !== '' && value.length <= 64) profile[field] = value.trim();
        }
    }

    /** The channel's birth year wins; otherwise a clear cue in this message; otherwise what we remembered. */
    private persona(context: TurnContext, profile: OwnerProfile, detected: Persona): Persona {
        const birthYear = (context.activity.channelData as OwnerChannelData | undefined)?.owner?.birthYear;
        if (typeof birthYear === 'number' && Number.isInteger(birthYear) && birthYear > 1900) {
            profile.persona = personaFromBirthYear(birthYear, this.deps.clock());
        } else if (detected !== 'default') {
            profile.persona = detected;
        }
        return profile.persona ?? 'default';
    }
}
