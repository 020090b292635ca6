import { randomInt, randomUUID } from 'node:crypto';
import type { EntityExtractor } from '../nlu/EntityExtractor';
import type { Persona } from '../nlu/NluResult';
import { CueReader } from './CueReader';
import type { Rehearsal } from './Rehearsal';
import type { Mood } from './RehearsalData';
import { RehearsalScorer } from './RehearsalScorer';
import type { RehearsalStore } from './RehearsalStore';
import type { ScenarioBook } from './ScenarioBook';
import type { Scorecard } from './Scorecard';
import { SimulatedOwner } from './SimulatedOwner';

export interface RehearsalServiceDeps {
    book: ScenarioBook;
    store: RehearsalStore;
    entities: EntityExtractor;
    clock: () => Date;
    newId?: () => string;
    newSeed?: () => number;
}

/** How long a turn waits for another instance's turn of the same rehearsal (a turn takes milliseconds). */
const LOCK_TIMEOUT_MS = 5_000;

export type TurnOutcome = { owner: { text: string; mood: Mood } | null; ended: boolean } | 'not_found' | 'finished';

/**
 * Runs rehearsals: starts one (the owner's first line), takes the trainee's turns one at a time per rehearsal (two
 * sent at once are answered in the order they arrived), and finishes with a scorecard that stays the same however
 * often it is asked for.
 */
export class RehearsalService {
    readonly reader: CueReader;
    readonly scorer: RehearsalScorer;
    private readonly queues = new Map<string, Promise<unknown>>();
    private readonly newId: () => string;
    private readonly newSeed: () => number;

    constructor(private readonly deps: RehearsalServiceDeps) {
        this.reader = new CueReader(deps.book.cues, deps.book.forbidden, deps.entities);
        this.scorer = new RehearsalScorer(this.reader, deps.book.cues, deps.book.card);
        this.newId = deps.newId ?? (() => `RH-${randomUUID()}`);
        this.newSeed = deps.newSeed ?? (() => randomInt(0, 2 ** 31 - 1));
    }

    scenarios(): { id: string; title: string; persona: Persona; mood: Mood; personas: Persona[]; goal: string }[] {
        return [...this.deps.book.scenarios.values()].map((s) => ({ id: s.id, title: s.title, persona: s.persona, mood: s.mood, personas: ['default', 'elderly', 'young'], goal: s.goal.description }));
    }

    async start(request: { scenario: string; persona?: Persona | undefined; seed?: number | undefined; trainee: string }): Promise<Rehearsal | null> {
        const scenario = this.deps.book.get(request.scenario);
        if (!scenario) return null;
        const persona = request.persona ?? scenario.persona;
        const seed = request.seed ?? this.newSeed();
        const { memory, reply } = new SimulatedOwner(scenario, persona, this.deps.book.owner, seed).start();
        const now = this.deps.clock().toISOString();
        const rehearsal: Rehearsal = {
            id: this.newId(),
            scenario: scenario.id,
            persona,
            seed,
            trainee: request.trainee,
            startedAt: now,
            finishedAt: null,
            ended: false,
            transcript: [{ role: 'owner', text: reply.text, mood: reply.mood, at: now }],
            owner: memory,
            scorecard: null,
        };
        await this.deps.store.save(rehearsal);
        return rehearsal;
    }

    turn(id: string, text: string): Promise<TurnOutcome> {
        return this.serial(id, async () => {
            const rehearsal = await this.deps.store.get(id);
            if (!rehearsal) return 'not_found';
            if (rehearsal.finishedAt) return 'finished';
            const now = this.deps.clock().toISOString();
            rehearsal.transcript.push({ role: 'trainee', text, at: now });
            let outcome: TurnOutcome;
            if (rehearsal.ended) outcome = { owner: null, ended: true };
            else {
                const { owner, scenario } = this.ownerOf(rehearsal);
                const cues = this.reader.read(text, owner.knowledge(firstLine(rehearsal)), scenario);
                const answer = owner.answer(rehearsal.owner, cues);
                rehearsal.owner = answer.memory;
                rehearsal.ended = answer.ended;
                rehearsal.transcript.push({ role: 'owner', text: answer.reply.text, mood: answer.reply.mood, at: now });
                outcome = { owner: answer.reply, ended: answer.ended };
            }
            await this.deps.store.save(rehearsal);
            return outcome;
        });
    }

    finish(id: string): Promise<Scorecard | null> {
        return this.serial(id, async () => {
            const rehearsal = await this.deps.store.get(id);
            if (!rehearsal) return null;
            if (rehearsal.scorecard) return rehearsal.scorecard;
            const { owner, scenario } = this.ownerOf(rehearsal);
            const trainee = rehearsal.transcript.filter((t) => t.role === 'trainee').map((t) => t.text);
            const card = this.scorer.score({
                scenario,
                trainee,
                ownerWords: owner.knowledge(firstLine(rehearsal)),
                mood: rehearsal.owner.mood,
                models: this.deps.book.modelsFor(scenario.id, rehearsal.persona),
            });
            rehearsal.scorecard = card;
            rehearsal.finishedAt = this.deps.clock().toISOString();
            await this.deps.store.save(rehearsal);
            return card;
        });
    }

    get(id: string): Promise<Rehearsal | null> {
        return this.deps.store.get(id);
    }

    list(trainee: string | undefined, limit = 200): Promise<Rehearsal[]> {
        return this.deps.store.list(trainee === undefined ? {} : { trainee }, limit);
    }

    private ownerOf(rehearsal: Rehearsal): { owner: SimulatedOwner; scenario: NonNullable<ReturnType<ScenarioBook['get']>> } {
        const scenario = this.deps.book.get(rehearsal.scenario);
        if (!scenario) throw new Error(`rehearsal ${rehearsal.id}: scenario ${rehearsal.scenario} is no longer in scripts/rehearsal`);
        return { owner: new SimulatedOwner(scenario, rehearsal.persona, this.deps.book.owner, rehearsal.seed), scenario };
    }

    /**
     * Runs `work` after every earlier call for the same rehearsal has finished: in this process by a queue, and
     * across instances by the store's lock when it has one (Redis).
     */
    private serial<T>(id: string, work: () => Promise<T>): Promise<T> {
        const before = this.queues.get(id) ?? Promise.resolve();
        const { lock } = this.deps.store;
        const locked = lock
            ? async () => {
                  const release = await lock.acquire(id, LOCK_TIMEOUT_MS);
                  try {
                      return await work();
                  } finally {
                      await release();
                  }
              }
            : work;
        const run = before.then(locked, locked);
        const settled = run.catch(() => undefined);
        this.queues.set(id, settled);
        void settled.then(() => {
            if (this.queues.get(id) === settled) this.queues.delete(id);
        });
        return run;
    }
}

function firstLine(rehearsal: Rehearsal): string {
    return rehearsal.transcript[0]?.text ?? '';
}
