import { TurnContext } from 'botbuilder';
import type { Logger } from '../bot/logger';
import { conversationStepKey, dialogRunId } from '../bot/tickets/ConversationStep';
import { fitContact } from '../bot/tickets/OwnerContact';
import { TurnTickets } from '../bot/tickets/TurnTickets';
import type { Phrasebook } from '../bot/Phrasebook';
import type { ConversationReferences } from '../bot/proactive/ConversationReferences';
import { TextPrompt } from 'botbuilder-dialogs/lib/prompts/textPrompt';
import type { PromptValidatorContext } from 'botbuilder-dialogs/lib/prompts/prompt';
import { findPhones, parseAddress, type EntityExtractor } from '../bot/nlu/EntityExtractor';
import type { Persona } from '../bot/nlu/NluResult';
import { restate } from '../bot/restate';
import { sayLine, type Lines } from '../bot/Lines';
import { acceptedAsGiven, answeredByFirstMessage, inPublicArea, refusesToGive, ticketFlags, type FlowScript, type FlowStep, type ListenStep, type Slot } from '../bot/scripts/FlowScript';
import type { TicketComposer } from '../bot/tickets/TicketComposer';
import type { SafetyAdvice } from '../bot/knowledge/SafetyAdvice';
import type { TicketService } from '../bot/tickets/TicketService';
import type { WorkingCalendar } from '../bot/tickets/WorkingCalendar';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import type { DialogPrompts } from './DialogPrompts';
import { DialogReason, WaterfallDialog, type Dialog, type DialogTurnResult, type WaterfallStepContext } from './dialogsCore';
import { readYesNo } from './yesNo';
import type { z } from 'zod';
import type { TicketCategories } from '../bot/tickets/Ticket';

type Category = z.infer<typeof TicketCategories>;

/** What a flow has learned so far; kept in the waterfall's step values. */
interface FlowValues {
    description: string;
    category: Category;
    location?: string;
    building?: string;
    unit?: string;
    room?: string;
    phone?: string;
    name?: string;
    preferredTime?: string;
    situation?: string;
    /** A repair in a public area: free to the owner, and the owner's home is not its place. */
    publicArea?: boolean;
    /** Slots the owner declined to fill ("不想留电话"): not asked again. */
    refused?: Slot[];
    /** The flow's shape when this conversation started it (see getVersion). */
    flowVersion?: string;
    /** Names this run of the flow (dialogRunId), kept in dialog state from its first turn: part of the ticket's idempotency key. */
    instanceId?: string;
    /** A place the owner gave in an earlier flow, offered rather than asked ("还是5号楼2单元1502吗？"). */
    offered?: { building?: string; unit?: string; room?: string; location: string };
}

export interface ScriptDialogDeps {
    tickets: TicketService;
    /** Writes the ticket from what the flow collected (wording in knowledge/tickets.json). */
    composer: TicketComposer;
    /** What to do about a hazard the owner's account names (a seep from upstairs): answers their questions mid-flow. */
    safety: SafetyAdvice;
    calendar: WorkingCalendar;
    clock: () => Date;
    entities: EntityExtractor;
    /** Values any line may use, such as the estate's {installmentPeriods}. */
    values: Record<string, string | number>;
    /** Where the owner can be reached for the follow-up visit. */
    references: ConversationReferences;
    /** The honest sentence when a ticket can not be written. */
    phrasebook: Phrasebook;
    logger: Logger;
}

const MAX_ATTEMPTS = 3;

/**
 * One dialog per training script, built from the script's data: no hand-written waterfall per flow. The owner's first
 * message is the "listen" that started it; then empathy and a restatement to confirm, the slots still missing (never
 * those the message or the profile already gave), the ticket, and the promise of a follow-up visit.
 *
 * A waterfall whose prompts its parent holds (`prompts`, see DialogPrompts), not a ComponentDialog of its own.
 */
export class ScriptDialog extends WaterfallDialog implements DialogPrompts {
    private readonly confirmPromptId: string;
    private readonly listenSteps: ListenStep[];
    private readonly version: string;
    private readonly textPromptId: string;
    readonly prompts: Dialog[] = [];

    constructor(
        private readonly script: FlowScript,
        private readonly deps: ScriptDialogDeps,
    ) {
        super(`script.${script.id}`);
        this.confirmPromptId = `${this.id}.confirm`;
        this.textPromptId = `${this.id}.text`;
        this.prompts.push(
            new TextPrompt(this.confirmPromptId, async (p) => readYesNo(p.recognized.value ?? '') !== null || p.attemptCount >= MAX_ATTEMPTS),
            new TextPrompt(this.textPromptId, async (p) => (p.recognized.value ?? '').trim().length >= 2),
        );
        const clarify = script.steps.find((s): s is Extract<FlowStep, { purpose: 'clarify' }> => s.purpose === 'clarify');
        this.listenSteps = script.steps.filter((s): s is ListenStep => s.purpose === 'listen');
        this.addStep((step) => this.openStep(step));
        if (clarify) this.addStep((step) => this.confirmStep(step, clarify)).addStep((step) => this.restatedStep(step));
        for (const listen of this.listenSteps) {
            const promptId = `${this.id}.slot.${listen.slot}`;
            this.prompts.push(new TextPrompt(promptId, (p) => this.validateSlot(listen, p)));
            this.addStep((step) => this.askSlotStep(step, listen, promptId)).addStep((step) => this.storeSlotStep(step, listen.slot));
        }
        this.addStep((step) => this.resolveStep(step));
        // What a stored conversation's step number depends on: the steps' order, purposes and slots, not their wording.
        this.version = `${this.id}:${script.steps.map((s) => (s.purpose === 'listen' ? `listen.${s.slot}` : s.purpose)).join(',')}`;
    }

    override getVersion(): string {
        return this.version;
    }

    /**
     * The answer to a question the owner asks mid-flow about the hazard their account names ("现在怎么办" after a seep
     * from upstairs), from knowledge/safety.json; null when it is not such a question. `state` is this flow's instance.
     */
    answerAside(state: unknown, text: string): string | null {
        const description = (state as { values?: FlowValues } | undefined)?.values?.description ?? '';
        return this.deps.safety.answer(this.deps.safety.named(description), text);
    }

    /**
     * Whether the answer to the prompt `promptId` is this flow's own even though understanding read danger in it: a
     * refusal of the slot ("不想留电话") that names no hazard of knowledge/safety.json is an answer, not an alarm.
     */
    takesDespiteAlarm(promptId: string, text: string): boolean {
        const listen = this.listenSteps.find((l) => `${this.id}.slot.${l.slot}` === promptId);
        return listen !== undefined && refusesToGive(listen, text) && this.deps.safety.named(text).length === 0;
    }

    /** Whether a stored instance of this flow was started with the flow's current shape. */
    startedAsNow(state: unknown): boolean {
        return (state as { values?: FlowValues } | undefined)?.values?.flowVersion === this.version;
    }

    private persona(context: TurnContext): Persona {
        return TurnUnderstanding.get(context)?.nlu.persona ?? 'default';
    }

    private lines(purpose: FlowStep['purpose']): FlowStep | undefined {
        return this.script.steps.find((s) => s.purpose === purpose);
    }

    private values(step: WaterfallStepContext): FlowValues {
        return step.values as FlowValues;
    }

    private async openStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(step.context);
        const values = this.values(step);
        values.flowVersion = this.version;
        values.description = reading?.text ?? '';
        values.instanceId = dialogRunId(reading?.turn ?? 0, values.description);
        const fixed = this.script.ticket.category;
        values.category = fixed === 'from_intent' ? ((reading?.nlu.sub as Category | null) ?? 'service') : fixed;
        const firstTime = reading?.nlu.entities?.times[0];
        if (firstTime) values.preferredTime = firstTime.text;
        for (const listen of this.listenSteps) {
            if (answeredByFirstMessage(listen, values.description)) values[listen.slot] = values.description;
        }
        // Whatever the first message or the profile already says is not asked again.
        const owner = reading?.owner ?? {};
        const entities = reading?.nlu.entities;
        values.phone = entities?.phones[0] ?? owner.phone;
        values.name = owner.name;
        const address = entities?.address ?? null;
        values.publicArea = inPublicArea(this.script, values.description);
        if (address) Object.assign(values, address, { location: this.deps.composer.describePlace(address) });
        // A public street light's place is not the owner's flat: the profile's address is theirs, the place is asked.
        else if (owner.building && !values.publicArea && channelGaveBuilding(step.context)) {
            Object.assign(values, { building: owner.building, unit: owner.unit, room: owner.room, location: this.deps.composer.describePlace(owner) });
        }
        // Remembered from an earlier report (not from the channel): it may be somewhere else this time, so it is offered.
        else if (owner.building && !values.publicArea) {
            values.offered = { ...compact({ building: owner.building, unit: owner.unit, room: owner.room }), location: this.deps.composer.describePlace(owner) };
        }
        const persona = this.persona(step.context);
        const empathise = this.lines('empathise');
        const clarify = this.lines('clarify');
        const opening = [empathise ? this.say(empathise.say, persona) : '', clarify ? this.say(clarify.say, persona, { summary: restate(values.description) }) : '']
            .filter(Boolean)
            .join('');
        if (!clarify) {
            await step.context.sendActivity(opening);
            return step.next();
        }
        return step.prompt(this.confirmPromptId, { prompt: opening });
    }

    private say(lines: Lines, persona: Persona, values: Record<string, string> = {}): string {
        return sayLine(lines, persona, Math.random, values, this.deps.values);
    }

    private async confirmStep(step: WaterfallStepContext, clarify: Extract<FlowStep, { purpose: 'clarify' }>): Promise<DialogTurnResult> {
        if (readYesNo(String(step.result ?? '')) === false) {
            return step.prompt(this.textPromptId, { prompt: this.say(clarify.reask, this.persona(step.context)) });
        }
        return step.next();
    }

    private async restatedStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
        if (typeof step.result === 'string' && step.result.trim().length >= 2) this.values(step).description = step.result.trim();
        return step.next();
    }

    private async askSlotStep(step: WaterfallStepContext, listen: Extract<FlowStep, { purpose: 'listen' }>, promptId: string): Promise<DialogTurnResult> {
        const values = this.values(step);
        if (values[listen.slot] || values.refused?.includes(listen.slot)) return step.next();
        const persona = this.persona(step.context);
        const offered = listen.slot === 'location' ? values.offered : undefined;
        const prompt = offered ? this.deps.phrasebook.say('place_offer', persona, { place: offered.location }) : this.say(listen.say, persona);
        return step.prompt(promptId, { prompt, retryPrompt: this.say(listen.reask, persona), validations: { offered: Boolean(offered) } });
    }

    private async storeSlotStep(step: WaterfallStepContext, slot: Slot): Promise<DialogTurnResult> {
        const answer = typeof step.result === 'string' ? step.result.trim() : '';
        const values = this.values(step);
        const listen = this.listenSteps.find((l) => l.slot === slot);
        const { composer } = this.deps;
        if (answer && slot !== 'location' && composer.corrects(answer)) {
            // "不对，是9栋2单元502" while asked for a time: the place is corrected and the same question asked again.
            const corrected = parseAddress(composer.withoutWrongValue(answer));
            if (corrected) {
                for (const part of ['building', 'unit', 'room'] as const) values[part] = corrected[part];
                values.location = composer.describePlace(corrected);
                await step.context.sendActivity(this.deps.phrasebook.say('slot_corrected', this.persona(step.context), { location: values.location }));
                return this.runStep(step, step.index - 1, DialogReason.nextCalled);
            }
        }
        if (answer && listen && refusesToGive(listen, answer) && findPhones(answer).length === 0) {
            values.refused = [...(values.refused ?? []), slot];
            if (listen.refused) await step.context.sendActivity(this.say(listen.refused, this.persona(step.context)));
            return step.next();
        }
        // The place offered from an earlier report, taken with "是".
        if (answer && !values[slot] && slot === 'location' && values.offered && readYesNo(answer) === true) {
            const { location, ...place } = values.offered;
            Object.assign(values, place, { location });
        } else if (answer && !values[slot]) {
            if (slot === 'phone') values.phone = findPhones(answer)[0];
            // The owner's own words are the place ("8栋2单元1203靠近电梯" says more than its parts).
            else if (slot === 'location') Object.assign(values, parseAddress(answer) ?? {}, { location: answer.slice(0, 100) });
            else values[slot] = answer.slice(0, 200);
        }
        // Answers may come early: a phone given with the time is not asked for again.
        if (answer && !values.phone) values.phone = findPhones(answer)[0];
        return step.next();
    }

    private async validateSlot(listen: ListenStep, prompt: PromptValidatorContext<string>): Promise<boolean> {
        const text = (prompt.recognized.value ?? '').trim();
        // After three tries the flow goes on without the value rather than trap the owner in a loop.
        if (prompt.attemptCount >= MAX_ATTEMPTS) return true;
        if (acceptedAsGiven(listen, text)) return true;
        // A refusal or a correction is an answer too: storeSlotStep takes it (never "号码不完整" for "不想留电话").
        if (refusesToGive(listen, text) || (this.deps.composer.corrects(text) && parseAddress(text) !== null)) return true;
        // After a place was offered: "是" takes it; a bare "不是" asks for the place (the re-ask line).
        if ((prompt.options.validations as { offered?: boolean } | undefined)?.offered && readYesNo(text) !== null) return readYesNo(text) === true;
        if (listen.recognizer === 'phone') return findPhones(text).length > 0;
        if (listen.recognizer === 'datetime') return this.deps.entities.times(text).length > 0;
        return text.length >= 2;
    }

    private async resolveStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
        const values = this.values(step);
        const reading = TurnUnderstanding.get(step.context);
        const activity = step.context.activity;
        const department = this.script.ticket.departments[values.category];
        const { contact, dropped } = fitContact({ name: values.name, phone: values.phone, building: values.building, unit: values.unit, room: values.room });
        if (dropped.length > 0) this.deps.logger.warn({ fields: dropped, conversationId: activity.conversation.id, flow: this.script.id }, 'contact fields left off the ticket: they break the contact rule');
        const draft = this.deps.composer.fromFlow(
            { channelId: activity.channelId, conversationId: activity.conversation.id, ownerId: activity.from.id },
            {
                kind: this.script.ticket.kind,
                category: values.category,
                department,
                ...(this.script.ticket.request ? { request: this.script.ticket.request } : {}),
                description: values.description,
                ...(values.situation ? { situation: values.situation } : {}),
                ...(values.preferredTime ? { preferredTime: values.preferredTime } : {}),
                ...(values.location ? { location: values.location } : {}),
                contact,
                ...ticketFlags(this.script, values.description),
            },
        );
        // The reference goes to the store alongside the ticket: two writes at once rather than one after the other. The
        // ticket alone decides what the owner hears (the reference was first written on the conversation's first turn).
        const [written, reference] = await Promise.allSettled([
            this.deps.tickets.create(
                draft,
                // Flows stored before instance ids have none: they keep the old, unkeyed write.
                values.instanceId ? { idempotencyKey: conversationStepKey(activity.conversation.id, this.id, values.instanceId, 'resolve') } : {},
            ),
            this.deps.references.save(TurnContext.getConversationReference(activity)),
        ]);
        if (reference.status === 'rejected') this.deps.logger.warn({ err: reference.reason, conversationId: activity.conversation.id }, 'conversation reference not saved with the ticket');
        if (written.status === 'rejected') {
            // Never announced as done: the owner hears it could not be confirmed, and how to reach a person.
            this.deps.logger.error({ err: written.reason, conversationId: activity.conversation.id, flow: this.script.id }, 'ticket could not be written');
            TurnTickets.failed(step.context);
            await step.context.sendActivity(this.deps.phrasebook.say('ticket_not_recorded', this.persona(step.context)));
            return step.endDialog(null);
        }
        const ticket = written.value;
        TurnTickets.written(step.context, ticket.id);
        // What the owner told us is remembered for next time.
        if (reading?.owner) Object.assign(reading.owner, compact({ phone: contact.phone, building: contact.building, unit: contact.unit, room: contact.room }));
        const now = this.deps.clock();
        const persona = this.persona(step.context);
        const placeholders = {
            ticketId: ticket.id,
            department,
            responseDue: this.deps.calendar.describe(new Date(ticket.sla.responseDueAt), now, ticket.kind),
            feedbackDue: this.deps.calendar.describe(new Date(ticket.sla.feedbackDueAt), now, ticket.kind),
        };
        const closing = (['resolve', 'follow_up'] as const)
            .map((purpose) => this.lines(purpose))
            .filter((s): s is FlowStep => s !== undefined)
            .map((s) => this.say(s.purpose === 'resolve' && values.publicArea && s.publicSay ? s.publicSay : s.say, persona, placeholders));
        await step.context.sendActivity(closing.join('\n'));
        return step.endDialog(ticket.id);
    }
}

/** Whether this activity's channel said where the owner lives (channelData.owner), rather than Linli remembering it. */
function channelGaveBuilding(context: TurnContext): boolean {
    const owner = (context.activity.channelData as { owner?: { building?: unknown } } | undefined)?.owner;
    return typeof owner?.building === 'string' && owner.building !== '';
}

function compact<T extends Record<string, string | undefined>>(record: T): { [K in keyof T]?: string } {
    return Object.fromEntries(Object.entries(record).filter(([, v]) => typeof v === 'string' && v !== '')) as { [K in keyof T]?: string };
}
