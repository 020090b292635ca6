import type { CueReader, TurnCues } from './CueReader';
import type { CardFile, CueFile, Mood, Scenario, Step } from './RehearsalData';
import type { Scorecard } from './Scorecard';

export interface ScoringInput {
    scenario: Scenario;
    /** The trainee's turns, in order (the scored words). */
    trainee: readonly string[];
    /** What the owner knows or said, against which restatements and sympathy are checked: one text, or one per turn (what the owner had said before it). */
    ownerWords: string | readonly string[];
    /** The simulated owner's last mood. */
    mood: Mood;
    /** The script's model line for each step. */
    models: Record<Step, string>;
}

interface StepResult {
    score: number;
    evidence: string[];
    reason: string;
}

/**
 * Grades a rehearsal step by step from the trainee's own words, with the cues CueReader finds: listen (the owner's
 * facts asked for), empathise (sympathy with this owner, not a formula), clarify (a restatement that matches the
 * owner's facts, with a check), resolve (the lawful treatment with a concrete time), follow up (an active promise
 * to come back, with when). Weights, scores and penalties are data (scripts/rehearsal/cues.json).
 */
export class RehearsalScorer {
    constructor(
        private readonly reader: CueReader,
        private readonly cues: CueFile,
        private readonly card: CardFile,
    ) {}

    readTurns(input: Pick<ScoringInput, 'scenario' | 'trainee' | 'ownerWords'>): TurnCues[] {
        const words = input.ownerWords;
        return input.trainee.map((text, i) => this.reader.read(text, typeof words === 'string' ? words : (words[i] ?? words.at(-1) ?? ''), input.scenario));
    }

    score(input: ScoringInput, read: TurnCues[] = this.readTurns(input)): Scorecard {
        const { scoring } = this.cues;
        const forbidden = read.flatMap((cues, turn) => cues.forbidden.map((f) => ({ phrase: f.phrase, turn, kind: f.kind })));
        const unsafe = forbidden.some((f) => f.kind === 'unsafe');
        const results: Record<Step, StepResult> = {
            listen: this.listen(read),
            empathise: this.empathise(read, input.trainee),
            clarify: this.clarify(read),
            resolve: this.resolve(read, input.scenario, unsafe),
            follow_up: this.followUp(read),
        };
        const weighted = (Object.keys(results) as Step[]).reduce((sum, step) => sum + scoring.weights[step] * results[step].score, 0);
        const penalty = forbidden.reduce((sum, f) => sum + (f.kind === 'unsafe' ? scoring.unsafePenalty : scoring.phrasePenalty), 0);
        const overall = clamp(Math.round(weighted - penalty));
        const steps = (Object.keys(results) as Step[]).map((step) => {
            const r = results[step];
            const evidence = r.evidence.length > 0 ? [...new Set(r.evidence)] : [this.card.missing];
            return { step, score: Math.round(r.score), evidence, reason: r.reason, model: r.score < scoring.weakBelow ? input.models[step] : null };
        });
        const treatmentsFound = new Set(read.flatMap((c) => c.treatments));
        const extras = input.scenario.goal.treatment.slice(1);
        // The core action at a concrete time, and at least half of what completes it (the labels' hidden goals).
        const goalMet =
            results.resolve.score >= this.cues.resolve.base &&
            extras.filter((group) => treatmentsFound.has(group.name)).length >= Math.floor(extras.length / 2) &&
            forbidden.length === 0 &&
            input.mood !== 'gave_up';
        return { overall, steps, forbidden, mood: input.mood, goalMet, tips: this.tips(results, forbidden) };
    }

    private listen(read: TurnCues[]): StepResult {
        const { listen } = this.cues.scoring;
        const reasons = this.card.reasons.listen;
        // Questions asked while rushing or blaming the owner are not listening.
        const questions = read.filter((c) => c.provoking.length === 0).flatMap((c) => c.questions);
        const kinds = new Set(questions.map((q) => q.kind));
        const evidence = questions.map((q) => q.quote);
        if (kinds.size === 0) return { score: 0, evidence: [], reason: reasons.none };
        if (kinds.size === 1) return { score: listen.one, evidence, reason: reasons.one };
        return { score: kinds.size === 2 ? listen.two : listen.three, evidence, reason: reasons.many };
    }

    private empathise(read: TurnCues[], trainee: readonly string[]): StepResult {
        const scores = this.cues.scoring.empathise;
        const reasons = this.card.reasons.empathise;
        if (trainee.some((text) => this.blames(text))) return { score: 0, evidence: [], reason: reasons.blamed };
        const order = ['specific', 'feeling', 'excuse', 'generic'] as const;
        const found = read.flatMap((c) => (c.empathy ? [c.empathy] : []));
        for (const level of order) {
            const hits = found.filter((e) => e.level === level);
            if (hits.length > 0) return { score: scores[level], evidence: hits.map((h) => h.quote), reason: reasons[level] };
        }
        return { score: 0, evidence: [], reason: reasons.none };
    }

    private blames(text: string): boolean {
        return this.cues.blame.some((w) => text.includes(w));
    }

    private clarify(read: TurnCues[]): StepResult {
        const scores = this.cues.scoring.clarify;
        const reasons = this.card.reasons.clarify;
        const found = read.flatMap((c) => (c.restatement ? [c.restatement] : []));
        const wrong = found.filter((r) => r.level === 'wrong');
        // A restatement the owner had to correct stays weak, even when the trainee gets it right afterwards.
        if (wrong.length > 0) return { score: scores.wrong, evidence: wrong.map((r) => r.quote), reason: reasons.wrong };
        for (const level of ['checked', 'unchecked', 'echo'] as const) {
            const hits = found.filter((r) => r.level === level);
            if (hits.length > 0) return { score: scores[level], evidence: hits.map((h) => h.quote), reason: reasons[level] };
        }
        return { score: 0, evidence: [], reason: reasons.none };
    }

    private resolve(read: TurnCues[], scenario: Scenario, unsafe: boolean): StepResult {
        const r = this.cues.resolve;
        const reasons = this.card.reasons.resolve;
        if (unsafe) return { score: 0, evidence: [], reason: reasons.unsafe };
        // A turn that blames, rushes or uses a forbidden phrase ("等着吧，这周师傅都忙") offers no resolution.
        const offered = read.filter((c) => c.provoking.length === 0 && c.forbidden.length === 0);
        const withCore = offered.filter((c) => c.resolution.core);
        const concrete = withCore.filter((c) => c.resolution.time === 'concrete');
        const quotes = (list: TurnCues[]) => list.flatMap((c) => (c.resolution.quote ? [c.resolution.quote] : []));
        let result: StepResult;
        if (concrete.length > 0) {
            const extras = scenario.goal.treatment.slice(1);
            const named = new Set(read.flatMap((c) => c.treatments));
            const share = extras.length === 0 ? 1 : extras.filter((g) => named.has(g.name)).length / extras.length;
            result = { score: Math.min(100, r.base + (100 - r.base) * share), evidence: quotes(concrete), reason: reasons.concrete };
        } else if (withCore.some((c) => c.resolution.time === 'vague')) {
            result = { score: r.vagueScore, evidence: quotes(withCore.filter((c) => c.resolution.time === 'vague')), reason: reasons.vague };
        } else if (withCore.length > 0) {
            result = { score: r.noTimeScore, evidence: quotes(withCore), reason: reasons.noTime };
        } else if (offered.some((c) => c.treatments.length > 0)) {
            // Part of the treatment (the law explained) without the action that settles it.
            result = { score: r.noTimeScore, evidence: [], reason: reasons.noTime };
        } else return { score: 0, evidence: [], reason: reasons.none };
        if (read.some((c) => c.wrongTreatment) && result.score > r.wrongCap) return { ...result, score: r.wrongCap, reason: reasons.wrongTreatment };
        return result;
    }

    private followUp(read: TurnCues[]): StepResult {
        const f = this.cues.followUp;
        const reasons = this.card.reasons.follow_up;
        const found = read.flatMap((c) => (c.followUp ? [c.followUp] : []));
        const levels = [
            ['good', f.good],
            ['noWhen', f.noWhen],
            ['passive', f.passiveScore],
        ] as const;
        for (const [level, score] of levels) {
            const hits = found.filter((h) => h.level === level);
            if (hits.length > 0) return { score, evidence: hits.map((h) => h.quote), reason: reasons[level] };
        }
        return { score: 0, evidence: [], reason: reasons.none };
    }

    /** Most important first: an unsafe promise, a forbidden phrase, then the weak steps that cost the most points. */
    private tips(results: Record<Step, StepResult>, forbidden: Scorecard['forbidden']): string[] {
        const tips: string[] = [];
        if (forbidden.some((f) => f.kind === 'unsafe')) tips.push(this.card.tips.unsafe);
        if (forbidden.some((f) => f.kind === 'phrase')) tips.push(this.card.tips.forbidden);
        const { weights, weakBelow } = this.cues.scoring;
        const weak = (Object.keys(results) as Step[])
            .filter((step) => results[step].score < weakBelow)
            .sort((a, b) => weights[b] * (100 - results[b].score) - weights[a] * (100 - results[a].score));
        for (const step of weak) tips.push(this.card.tips[step]);
        return tips.length > 0 ? tips.slice(0, 3) : [this.card.tips.keep];
    }
}

function clamp(n: number): number {
    return Math.max(0, Math.min(100, n));
}
