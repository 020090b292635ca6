import type { Persona } from '../nlu/NluResult';
import { fillLine, type Lines } from '../Lines';
import { restate } from '../restate';
import type { FlowScript } from '../scripts/FlowScript';

/** The steps whose wording suits an agent's reply in any conversation, in the order the scripts teach them. */
const PURPOSES = ['empathise', 'clarify', 'listen', 'follow_up'] as const;
const MAX_SUGGESTIONS = 8;

/** What the case is, so the replies fit it. */
export interface ReplyCase {
    /** Danger or a person at risk (priority 1–2): safety lines, not the complaint script. */
    urgent: boolean;
    /** A complaint (its ticket, or an angry owner): only then is the owner's message restated back to them. */
    complaint: boolean;
    /** What fills the lines' placeholders when known: {place}, {ticketId}, {name}. */
    values: Record<string, string>;
}

/**
 * Replies an agent can send with one click. An urgent case gets the urgent lines (knowledge/handoff.json: safety
 * first, where help is going, the ticket), never complaint apologies. Otherwise lines from the training scripts in the
 * owner's register: empathise, restate what the owner said (您是说……，对吗？ — for a complaint only: restating a
 * question or a request sounds odd), ask what is missing, promise the follow-up. Lines whose placeholders the case can
 * not fill (a ticket number not yet known) are left out.
 */
export class SuggestedReplies {
    private readonly lines: Map<(typeof PURPOSES)[number], Lines[]>;

    constructor(
        scripts: Iterable<FlowScript>,
        private readonly urgentLines: readonly string[] = [],
    ) {
        this.lines = new Map(PURPOSES.map((p) => [p, [] as Lines[]]));
        for (const script of scripts) {
            for (const step of script.steps) {
                if ((PURPOSES as readonly string[]).includes(step.purpose)) this.lines.get(step.purpose as (typeof PURPOSES)[number])?.push(step.say);
            }
        }
    }

    for(persona: Persona, lastOwnerWords: string, replyCase: ReplyCase = { urgent: false, complaint: true, values: {} }): string[] {
        const filled = (line: string, values: Record<string, string>) => fillLine(line, values);
        const complete = (line: string) => !/\{\w+\}/.test(line);
        if (replyCase.urgent && this.urgentLines.length > 0) {
            return this.urgentLines.map((line) => filled(line, replyCase.values)).filter(complete).slice(0, MAX_SUGGESTIONS);
        }
        const values = { ...replyCase.values, ...(replyCase.complaint && lastOwnerWords ? { summary: restate(lastOwnerWords) } : {}) };
        const suggestions = new Set<string>();
        for (const purpose of PURPOSES) {
            for (const lines of this.lines.get(purpose) ?? []) {
                for (const variant of (persona !== 'default' ? lines[persona] : undefined) ?? lines.default) {
                    const line = filled(variant, values);
                    // Asking back needs something the owner said to ask about.
                    if (complete(line) && (purpose !== 'clarify' || lastOwnerWords)) suggestions.add(line);
                }
            }
        }
        // A few of each kind rather than every variant of the first.
        return [...suggestions].filter((_, i, all) => all.length <= MAX_SUGGESTIONS || i % Math.ceil(all.length / MAX_SUGGESTIONS) === 0).slice(0, MAX_SUGGESTIONS);
    }
}
