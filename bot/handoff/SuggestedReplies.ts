import type { Persona } from '../nlu/NluResult';
import { fillLine, type Lines } from '../Lines';
import { restate } from '../restate';
import type { FlowScript } from '../scripts/FlowScript';

/** The steps whose wording suits an agent's reply in any conversation, in the order the scripts teach them. */
const PURPOSES = ['empathise', 'clarify', 'listen', 'follow_up'] as const;
const MAX_SUGGESTIONS = 8;

/**
 * Replies an agent can send with one click, drawn from the training scripts in the owner's register: empathise,
 * restate what the owner said (您是说……，对吗？), ask what is missing, promise the follow-up. Lines whose
 * placeholders the handoff can not fill (a ticket number not yet known) are left out.
 */
export class SuggestedReplies {
    private readonly lines: Map<(typeof PURPOSES)[number], Lines[]>;

    constructor(scripts: Iterable<FlowScript>) {
        this.lines = new Map(PURPOSES.map((p) => [p, [] as Lines[]]));
        for (const script of scripts) {
            for (const step of script.steps) {
                if ((PURPOSES as readonly string[]).includes(step.purpose)) this.lines.get(step.purpose as (typeof PURPOSES)[number])?.push(step.say);
            }
        }
    }

    for(persona: Persona, lastOwnerWords: string): string[] {
        const values = { summary: restate(lastOwnerWords) };
        const suggestions = new Set<string>();
        for (const purpose of PURPOSES) {
            for (const lines of this.lines.get(purpose) ?? []) {
                for (const variant of (persona !== 'default' ? lines[persona] : undefined) ?? lines.default) {
                    const line = fillLine(variant, values);
                    if (!/\{\w+\}/.test(line) && (purpose !== 'clarify' || lastOwnerWords)) suggestions.add(line);
                }
            }
        }
        // A few of each kind rather than every variant of the first.
        return [...suggestions].filter((_, i, all) => all.length <= MAX_SUGGESTIONS || i % Math.ceil(all.length / MAX_SUGGESTIONS) === 0).slice(0, MAX_SUGGESTIONS);
    }
}
