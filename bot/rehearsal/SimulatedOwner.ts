import { fillLine } from '../Lines';
import type { Persona } from '../nlu/NluResult';
import type { TurnCues } from './CueReader';
import type { Mood, OwnerLinesFile, OwnerState, Scenario } from './RehearsalData';
import { SeededRandom } from './SeededRandom';

/** What the owner remembers between turns (stored with the rehearsal, so any instance can answer the next turn). */
export interface OwnerMemory {
    mood: Mood;
    revealed: string[];
    resolved: boolean;
    idle: number;
    provoked: number;
    ended: boolean;
    draws: number;
}

export interface OwnerReply {
    text: string;
    mood: Mood;
}

/** How many turns in a row with nothing for the owner before they give up; how many provocations an angry owner takes. */
const PATIENCE = { idleTurns: 3, provocations: 3 };

/**
 * The owner of a scenario as a state machine over the trainee's cues: reveals a fact only when asked for it,
 * corrects a wrong restatement, refuses a resolution without a concrete time and asks when exactly, gets angrier
 * when blamed, rushed, argued with or given a forbidden phrase, calms down when listened to and understood, and
 * ends satisfied once resolved and promised a follow-up — or gives up. Every line comes from the data, in the
 * persona's register, picked by the rehearsal's seed.
 */
export class SimulatedOwner {
    constructor(
        private readonly scenario: Scenario,
        private readonly persona: Persona,
        private readonly lines: OwnerLinesFile,
        private readonly seed: number,
    ) {}

    start(): { memory: OwnerMemory; reply: OwnerReply } {
        const memory: OwnerMemory = { mood: this.scenario.mood, revealed: [], resolved: false, idle: 0, provoked: 0, ended: false, draws: 0 };
        const text = this.pick(this.scenario.opening[this.persona], memory);
        return { memory, reply: { text, mood: memory.mood } };
    }

    /** Everything this owner knows (the opening and every fact), against which restatements are checked. */
    knowledge(opening: string): string {
        return [opening, ...this.scenario.facts.flatMap((f) => [f.value, ...(f.say[this.persona] ?? f.say.default)])].join('\n');
    }

    answer(before: OwnerMemory, cues: TurnCues): { memory: OwnerMemory; reply: OwnerReply; ended: boolean } {
        const memory: OwnerMemory = { ...before, revealed: [...before.revealed] };
        const parts: string[] = [];
        const provoked = cues.provoking.length > 0 || cues.forbidden.length > 0;
        if (provoked) {
            memory.provoked += 1;
            memory.idle = 0;
            memory.mood = memory.mood === 'angry' || memory.provoked >= PATIENCE.provocations ? 'gave_up' : memory.mood === 'upset' ? 'angry' : 'upset';
            parts.push(this.say(memory.mood === 'gave_up' ? 'gave_up' : memory.mood === 'angry' ? 'angry' : 'upset', memory));
            return this.finish(memory, parts, memory.mood === 'gave_up');
        }
        const understood = cues.restatement && cues.restatement.level !== 'wrong' && cues.restatement.level !== 'echo';
        if (cues.restatement?.level === 'wrong') parts.push(this.say('correction', memory, { fact: cues.restatement.wrongFact ?? '' }));
        else if (understood) parts.push(this.say('confirm', memory));
        const sympathised = cues.empathy && (cues.empathy.level === 'specific' || cues.empathy.level === 'feeling');
        if (sympathised && (memory.mood === 'angry' || memory.mood === 'upset')) parts.push(this.say('calmed', memory));
        if (sympathised || understood) memory.mood = calmer(memory.mood);

        const asked = new Set(cues.questions.map((q) => q.kind));
        const facts = this.scenario.facts.filter((f) => !memory.revealed.includes(f.id) && f.asks.some((kind) => asked.has(kind)));
        for (const fact of facts) {
            memory.revealed.push(fact.id);
            parts.push(this.pick(fact.say[this.persona] ?? fact.say.default, memory));
        }
        if (asked.size > 0 && facts.length === 0 && parts.length === 0) parts.push(this.say('nothing_to_add', memory));

        const { resolution } = cues;
        const promisedFollowUp = cues.followUp !== null && cues.followUp.level !== 'passive';
        let ended = false;
        if (!memory.resolved && resolution.core && resolution.time === 'concrete' && !cues.wrongTreatment) {
            memory.resolved = true;
            if (promisedFollowUp && memory.mood !== 'angry') {
                memory.mood = 'satisfied';
                parts.push(this.say('satisfied', memory), this.say('closing', memory));
                ended = true;
            } else {
                memory.mood = memory.mood === 'angry' ? 'upset' : 'satisfied';
                parts.push(this.say(memory.mood === 'satisfied' ? 'satisfied' : 'calm', memory), this.say('ask_follow_up', memory));
            }
        } else if (resolution.time === 'vague' && (resolution.core || resolution.vagueWord)) {
            // A vague promise is never accepted: the owner asks when exactly, and is not pleased.
            if (memory.mood === 'calm' || memory.mood === 'satisfied') memory.mood = 'upset';
            parts.push(this.say('ask_when', memory, { vague: resolution.vagueWord ?? '' }));
        } else if (!memory.resolved && resolution.core && resolution.time === 'none') {
            parts.push(this.say('ask_time', memory));
        } else if (memory.resolved && promisedFollowUp) {
            memory.mood = 'satisfied';
            parts.push(this.say('closing', memory));
            ended = true;
        }

        if (parts.length === 0) {
            memory.idle += 1;
            if (memory.idle >= PATIENCE.idleTurns) {
                memory.mood = 'gave_up';
                return this.finish(memory, [this.say('gave_up', memory)], true);
            }
            parts.push(this.say(memory.mood === 'satisfied' ? 'ask_follow_up' : memory.mood, memory));
        } else memory.idle = 0;
        return this.finish(memory, parts, ended);
    }

    private finish(memory: OwnerMemory, parts: string[], ended: boolean): { memory: OwnerMemory; reply: OwnerReply; ended: boolean } {
        memory.ended = ended;
        return { memory, reply: { text: parts.join(''), mood: memory.mood }, ended };
    }

    private say(state: OwnerState, memory: OwnerMemory, values: Record<string, string> = {}): string {
        const need = this.pick(this.scenario.need[this.persona], memory);
        return fillLine(this.pick(this.lines.lines[state][this.persona], memory), values, { need });
    }

    private pick(lines: readonly string[], memory: OwnerMemory): string {
        const line = SeededRandom.pick(lines, this.seed, memory.draws);
        memory.draws += 1;
        return line;
    }
}

function calmer(mood: Mood): Mood {
    if (mood === 'angry') return 'upset';
    if (mood === 'upset') return 'calm';
    return mood;
}
