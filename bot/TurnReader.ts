import type { BotState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from '../dialogs/dialogsCore';
import { emptyMemory, type ConversationMemory, type OwnerProfile } from './ConversationMemory';
import { DialogStateReader } from './DialogStateReader';
import { ticketKindOf, type EscalationRules } from './escalation/EscalationRules';
import type { KnowledgeService } from './knowledge/KnowledgeService';
import type { Logger } from './logger';
import type { Metrics } from './Metrics';
import type { EntityExtractor } from './nlu/EntityExtractor';
import type { MessageShape, MessageShapeReader } from './nlu/MessageShape';
import type { NluTraceValue, Persona, Understanding } from './nlu/NluResult';
import { personaFromBirthYear } from './nlu/PersonaDetector';
import { fitContact } from './tickets/OwnerContact';
import type { Recognizer } from './nlu/Recognizer';
import { TurnUnderstanding, type TurnReading } from './TurnUnderstanding';

export interface TurnReaderDeps {
    conversationState: BotState;
    userState: BotState;
    recognizer: Recognizer;
    knowledge: KnowledgeService;
    entities: EntityExtractor;
    escalation: EscalationRules;
    /** Messages without words (👍, ？？？, English), read before the classifier. */
    shapes: MessageShapeReader;
    metrics: Metrics;
    clock: () => Date;
    logger: Logger;
    /** The conversation-state property holding the dialog stack (botbuilder-testing names it 'DialogState'). */
    dialogStateProperty?: string;
}

interface OwnerChannelData {
    owner?: unknown;
}

/**
 * Reads one owner message in its conversation: understanding, the knowledge that answers it, entities, persona, and
 * the conversation-level escalation rules. The result is put in the turn state for the dialogs.
 */
export class TurnReader {
    private readonly memory: StatePropertyAccessor<ConversationMemory>;
    private readonly profile: StatePropertyAccessor<OwnerProfile>;
    private readonly dialogState: StatePropertyAccessor<DialogState>;

    constructor(private readonly deps: TurnReaderDeps) {
        this.memory = deps.conversationState.createProperty<ConversationMemory>('memory');
        this.dialogState = deps.conversationState.createProperty<DialogState>(deps.dialogStateProperty ?? 'dialogState');
        this.profile = deps.userState.createProperty<OwnerProfile>('profile');
    }

    get dialogStateAccessor(): StatePropertyAccessor<DialogState> {
        return this.dialogState;
    }

    /** Whether a flow is waiting for the owner's answer (read as `read` reads it: a flow open on the dialog stack). */
    async inFlow(context: TurnContext): Promise<boolean> {
        return DialogStateReader.read(context, await this.dialogState.get(context, { dialogStack: [] }), emptyMemory(), null).openFlow !== null;
    }

    ownerProfile(context: TurnContext): Promise<OwnerProfile> {
        return this.profile.get(context, {});
    }

    async read(context: TurnContext): Promise<TurnReading> {
        const memory = await this.memory.get(context, emptyMemory());
        memory.turns += 1;
        const text = context.activity.text ?? '';
        const profile = await this.profile.get(context, {});
        // A profile stored before the contact rule may hold fields that no ticket accepts; they go here, once.
        this.keepContactRule(context, profile);
        const shape = this.deps.shapes.read(text);
        const understanding = this.understand(text, shape);
        const persona = this.persona(context, profile, understanding.persona);
        // Where the conversation is, from what the turn loaded under its lock (stack, handoff, memory): no reads of its own.
        const where = DialogStateReader.read(context, await this.dialogState.get(context, { dialogStack: [] }), memory, shape);
        // Set again by whatever answers this turn from the knowledge (FaqDialog).
        memory.lastAnswer = null;
        const inFlow = where.openFlow !== null;
        const queued = where.handoffStatus === 'queued';
        const asksKnowledge = understanding.intent === 'faq' || (understanding.intent === 'fee_arrears' && understanding.sub === 'misconception');
        // A follow-up on the last answer ("那个APP在哪下载") is looked up among the entries that answer named first.
        // Only a reading that would otherwise brush the owner off gives way to the follow-up (a complaint stays one), so
        // only then is a follow-up looked for: a repair or complaint after an answer costs no retrieval.
        const mayFollowUp = !asksKnowledge && where.lastAnswer !== null && shape === null && (understanding.intent === 'out_of_scope' || understanding.intent === 'greeting');
        const knowledge = asksKnowledge || mayFollowUp ? this.deps.knowledge.lookup(text, where.lastAnswer) : null;
        if (mayFollowUp && knowledge?.followUp) {
            understanding.intent = 'faq';
            understanding.sub = null;
        }
        // "？？？" right after an answer: the answer did not land, which counts (once) toward `unresolved`.
        const puzzledAfterAnswer = shape === 'puzzled' && where.lastAnswer !== null;
        // "没用" is understood: it is feedback on the last answer, counted apart. Out of scope counts however sure the
        // reading: trained on off-topic sentences per grid row, the model reads them confidently, yet Linli still has
        // nothing to offer, and two such turns in a row are worth a person. A wordless message, or anything said while
        // a person is already on the way, is never "not understood": nothing more would come of a handoff.
        const notUnderstood =
            !inFlow &&
            !queued &&
            shape === null &&
            !understanding.unhelpful &&
            (understanding.intent === 'out_of_scope' || (understanding.intent === 'faq' && !knowledge));
        const unhelpful = !inFlow && !queued && (understanding.unhelpful || puzzledAfterAnswer);
        const decision = this.deps.escalation.decide(
            { ...understanding, notUnderstood, unhelpful, ticketKind: ticketKindOf(understanding.intent, understanding.sub) },
            memory,
        );
        // Built to the contract's type rather than parsed: the compiler checks its shape, and a zod parse of our own
        // output on every turn bought nothing but CPU.
        const nlu: NluTraceValue = {
            intent: understanding.intent,
            sub: understanding.sub,
            confidence: Math.round(understanding.confidence * 1000) / 1000,
            persona,
            emotion: understanding.emotion,
            escalate: decision.escalate,
            escalationReason: decision.reason,
            escalationRule: decision.rule,
            // Times matter to a new repair request (its first message may say when); inside a flow the step that asks
            // for a time reads it itself. Elsewhere the date model's cost (2–6 ms a call) buys nothing.
            entities: this.deps.entities.extract(text, !inFlow && understanding.intent === 'repair'),
            dialogState: where,
            // Two readings too close to guess between: a new message (not a flow's answer) is asked about, once.
            ...(understanding.clarify && !inFlow && !decision.escalate ? { clarify: understanding.clarify } : {}),
        };
        this.rememberOwner(context, profile);
        this.deps.metrics.intents.inc({ intent: nlu.intent });
        if (nlu.escalationReason) this.deps.metrics.escalations.inc({ reason: nlu.escalationReason });
        const gap = notUnderstood ? (understanding.intent === 'out_of_scope' ? 'out_of_scope' : 'unsure') : null;
        const reading: TurnReading = { text, nlu, knowledge, owner: profile, turn: memory.turns, escalation: decision, memory, dialogState: where, gap };
        TurnUnderstanding.set(context, reading);
        return reading;
    }

    /**
     * The classifier's reading, except for messages without words: 👍 is thanks, and ？？？, 。。。 or English carry
     * no escalation words whatever the classifier guesses (their replies follow from the shape, ThreadReplies).
     */
    private understand(text: string, shape: MessageShape | null): Understanding {
        const understanding = this.deps.recognizer.recognize(text);
        if (shape === null) return understanding;
        // Danger told in English is still danger (recall first).
        if (shape === 'english' && (understanding.escalationReason === 'emergency' || understanding.escalationReason === 'safety')) return understanding;
        const emotion = shape === 'punctuation' && /[!！]/.test(text) ? 'upset' : 'calm';
        const calm: Understanding = { ...understanding, sub: null, escalationReason: null, signals: [], unhelpful: false, emotion };
        return shape === 'thanks' ? { ...calm, intent: 'thanks_bye', confidence: 1 } : calm;
    }

    /**
     * What the channel says about the owner (channelData.owner) is kept in the profile, so flows need not ask it. A
     * field that breaks the contact rule (OwnerContact) is dropped and logged by name; the message goes on regardless.
     */
    private rememberOwner(context: TurnContext, profile: OwnerProfile): void {
        const owner = this.channelOwner(context);
        if (!owner) return;
        const { contact, dropped } = fitContact(owner);
        Object.assign(profile, contact);
        if (dropped.length > 0) this.warnDropped(context, dropped, 'channel');
    }

    private keepContactRule(context: TurnContext, profile: OwnerProfile): void {
        const { dropped } = fitContact(profile);
        if (dropped.length === 0) return;
        for (const field of dropped) delete profile[field];
        this.warnDropped(context, dropped, 'stored');
    }

    private warnDropped(context: TurnContext, fields: string[], source: 'channel' | 'stored'): void {
        // Names only: a value that breaks the rule may be anything (a pasted document, someone's ID number).
        this.deps.logger.warn(
            { fields, source, channelId: context.activity.channelId, conversationId: context.activity.conversation?.id },
            'owner profile fields dropped: they break the contact rule',
        );
    }

    private channelOwner(context: TurnContext): Record<string, unknown> | null {
        const owner = (context.activity.channelData as OwnerChannelData | undefined)?.owner;
        return typeof owner === 'object' && owner !== null && !Array.isArray(owner) ? (owner as Record<string, unknown>) : null;
    }

    /** The channel's birth year wins; otherwise a clear cue in this message; otherwise what we remembered. */
    private persona(context: TurnContext, profile: OwnerProfile, detected: Persona): Persona {
        const birthYear = this.channelOwner(context)?.birthYear;
        const now = this.deps.clock();
        const validYear = typeof birthYear === 'number' && Number.isInteger(birthYear) && birthYear > 1900 && birthYear <= now.getUTCFullYear();
        if (!validYear && birthYear !== undefined && birthYear !== null) this.warnDropped(context, ['birthYear'], 'channel');
        if (validYear) {
            profile.persona = personaFromBirthYear(birthYear, now);
        } else if (detected !== 'default') {
            profile.persona = detected;
        }
        return profile.persona ?? 'default';
    }
}
