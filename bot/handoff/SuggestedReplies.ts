import type { EscalationReason, Persona } from '../nlu/NluResult';
import { fillLine, type LineValues } from '../Lines';
import { restate } from '../restate';
import type { DeskRepliesFile, DeskReply, DeskStep } from '../desk/DeskReplies';
import { describePlace, type OwnerProfile } from '../desk/OwnerPlace';

const MAX_SUGGESTIONS = 8;
const UNFILLED = /\{\w+\}/;

/** What the replies are fitted to: the handoff as the store holds it (the owner's profile when known). */
export interface ReplyCase {
    persona: Persona;
    reason: EscalationReason;
    ticketId: string | null;
    agent: string | null;
    owner?: OwnerProfile | null;
}

/** The handoff's linked ticket: a complaint ticket makes the case a complaint; its place is the one to name. */
export interface ReplyTicket {
    kind: string;
    location: string | null;
}

/** One line of the agent's conversation so far (the handoff transcript's shape). */
export interface ReplyContextEntry {
    from: string;
    text?: string;
}

/** A library line for one case: `text` is filled as far as the case allows; `fits` says it suits this case. */
export interface CannedReply {
    code: string;
    title: string;
    step: DeskStep;
    fits: boolean;
    text: string;
}

/**
 * Replies an agent can send with one click or a `/code`, from the desk's reply library (scripts/desk/replies.json) in
 * the owner's register. Suggestions fit the case: its reason (an emergency gets safety lines, a complaint an apology
 * and a restatement) and its step (a greeting only before the agent has spoken, the ticket line once there is a
 * ticket), filled with the owner's name, place and ticket. Only a complaint's words are restated: turning round
 * "转人工" or a gas leak report as "您是说……，对吗？" reads as not listening.
 */
export class SuggestedReplies {
    private readonly order: Map<DeskStep, number>;

    constructor(
        private readonly library: DeskRepliesFile,
        private readonly hotline: string,
    ) {
        this.order = new Map(library.steps.map((step, i) => [step, i]));
    }

    /** The lines that suit this case now, in the order of the conversation's steps. */
    for(handoff: ReplyCase, entries: readonly ReplyContextEntry[], speaker?: string, ticket: ReplyTicket | null = null): string[] {
        const agentSpoke = entries.some((e) => e.from === 'agent' && e.text);
        const fitting = this.fitting(handoff, ticket).filter((r) => !(agentSpoke && r.step === 'greet'));
        const values = this.values(handoff, entries, speaker, ticket);
        const lines = fitting.map((r) => this.fill(r, handoff.persona, values)).filter((text): text is string => text !== null && !UNFILLED.test(text));
        return [...new Set(lines)].slice(0, MAX_SUGGESTIONS);
    }

    /** The whole library for this case (searchable by code and title in the console), fitting lines first. */
    libraryFor(handoff: ReplyCase, entries: readonly ReplyContextEntry[], speaker?: string): CannedReply[] {
        const fitting = new Set(this.fitting(handoff));
        const values = this.values(handoff, entries, speaker);
        return this.library.replies
            .map((r) => ({ code: r.code, title: r.title, step: r.step, fits: fitting.has(r), text: this.fill(r, handoff.persona, values, true) ?? '' }))
            .sort((a, b) => Number(b.fits) - Number(a.fits) || this.rank(a.step) - this.rank(b.step));
    }

    private fitting(handoff: ReplyCase, ticket: ReplyTicket | null = null): DeskReply[] {
        // A complaint ticket makes the case a complaint whatever escalated it (an owner who asked for a person to
        // complain): the lines for complaints the bot could not settle fit it too.
        const reasons: string[] = [handoff.reason, ...(ticket?.kind === 'complaint' ? ['unresolved'] : [])];
        return this.library.replies
            .filter((r) => (r.reasons ? r.reasons.some((reason) => reasons.includes(reason)) : true))
            .sort((a, b) => this.rank(a.step) - this.rank(b.step));
    }

    private rank(step: DeskStep): number {
        return this.order.get(step) ?? this.order.size;
    }

    private values(handoff: ReplyCase, entries: readonly ReplyContextEntry[], speaker?: string, ticket: ReplyTicket | null = null): LineValues {
        const values: LineValues = { hotline: this.hotline, agent: speaker ?? handoff.agent ?? this.library.unnamedAgent };
        const name = handoff.owner?.name?.trim();
        if (name) values.name = name;
        // Where help goes: the ticket's place when it has one (the owner may have named another), else their home.
        const place = ticket?.location || describePlace(handoff.owner);
        if (place) values.place = place;
        if (handoff.ticketId) values.ticketId = handoff.ticketId;
        const lastOwnerWords = entries.filter((e) => e.from === 'owner' && e.text).at(-1)?.text;
        if (lastOwnerWords) values.summary = restate(lastOwnerWords);
        return values;
    }

    /** The first variant in the owner's register whose placeholders are all known; with `partial`, the last one anyway. */
    private fill(reply: DeskReply, persona: Persona, values: LineValues, partial = false): string | null {
        const variants = (persona !== 'default' ? reply.say[persona] : undefined) ?? reply.say.default;
        const filled = variants.map((v) => fillLine(v, values));
        return filled.find((line) => !UNFILLED.test(line)) ?? (partial ? (filled.at(-1) ?? null) : null);
    }
}
