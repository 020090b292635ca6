import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../bot/dataFile';
import type { Persona } from '../../bot/nlu/NluResult';
import { PROJECT_ROOT } from '../../bot/paths';
import type { Scenario } from '../../bot/rehearsal/RehearsalData';
import { ScenarioBook } from '../../bot/rehearsal/ScenarioBook';
import { SimulatedOwner, type OwnerMemory } from '../../bot/rehearsal/SimulatedOwner';
import { loadRehearsalTranscripts } from '../helpers/rehearsalTranscripts';
import { TranscriptScorer } from '../helpers/rehearsalScoring';

const { book, reader } = new TranscriptScorer();
const PERSONAS: Persona[] = ['default', 'elderly', 'young'];

/** Plays trainee turns to a scenario's owner; returns every owner line and the last memory. */
function play(scenario: Scenario, persona: Persona, turns: string[], seed = 3): { lines: string[]; memory: OwnerMemory } {
    const owner = new SimulatedOwner(scenario, persona, book.owner, seed);
    const start = owner.start();
    let memory = start.memory;
    const lines = [start.reply.text];
    const knowledge = owner.knowledge(start.reply.text);
    for (const text of turns) {
        if (memory.ended) break;
        const answer = owner.answer(memory, reader.read(text, knowledge, scenario));
        memory = answer.memory;
        lines.push(answer.reply.text);
    }
    return { lines, memory };
}

/** A regular expression matching any reply built from this persona's lines (placeholders filled any way). */
function personaPattern(scenario: Scenario, persona: Persona): RegExp {
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const needs = scenario.need[persona].map(esc).join('|');
    const fill = (line: string) => esc(line).replace(/\\\{need\\\}/g, `(?:${needs})`).replace(/\\\{(fact|vague)\\\}/g, '.{0,40}?');
    const lines = [
        ...Object.values(book.owner.lines).flatMap((byPersona) => byPersona[persona]),
        ...scenario.opening[persona],
        ...scenario.facts.flatMap((f) => f.say[persona] ?? f.say.default),
    ];
    return new RegExp(`^(?:${lines.map(fill).join('|')})+$`);
}

const tuning = loadRehearsalTranscripts().flatMap((f) => f.transcripts).filter((t) => !t.heldOut);

describe('the simulated owner', () => {
    it('says different things to a good and a bad trainee, and ends satisfied only with the good one', () => {
        for (const scenarioId of ['lift_complaint', 'vacant_unit', 'hardship_arrears', 'service_arrears', 'elderly_payment', 'leak_repair']) {
            const scenario = book.get(scenarioId)!;
            const good = tuning.find((t) => t.scenario === scenarioId && t.level === 'good')!;
            const bad = tuning.find((t) => t.scenario === scenarioId && t.level === 'bad')!;
            const withGood = play(scenario, scenario.persona, good.trainee);
            const withBad = play(scenario, scenario.persona, bad.trainee);
            expect(withGood.lines.slice(1), scenarioId).not.toEqual(withBad.lines.slice(1));
            expect(withGood.memory.mood, `${scenarioId} good`).not.toBe('gave_up');
            expect(['angry', 'gave_up', 'upset'], `${scenarioId} bad`).toContain(withBad.memory.mood);
        }
    });

    it('stays in the persona it was given: every line comes from that persona\'s register', () => {
        for (const scenario of book.scenarios.values()) {
            for (const persona of PERSONAS) {
                const pattern = personaPattern(scenario, persona);
                for (const t of tuning.filter((x) => x.scenario === scenario.id || scenario.id === 'pipe_burst' || scenario.id === 'app_link').slice(0, 6)) {
                    for (const line of play(scenario, persona, t.trainee, 9).lines) expect(line, `${scenario.id}/${persona}: ${line}`).toMatch(pattern);
                }
            }
        }
    });

    it('never accepts a vague promise as a resolution: it asks when exactly, and is satisfied only by a concrete time', () => {
        for (const scenario of book.scenarios.values()) {
            const action = scenario.goal.treatment[0]!.words[0]!;
            for (const vague of ['尽快', '等通知', '这几天', '回头']) {
                for (const persona of PERSONAS) {
                    const { lines, memory } = play(scenario, persona, [`我们${vague}安排${action}，您放心。`, `${action}${vague}就到，我们会回访您。`]);
                    expect(memory.mood, `${scenario.id} ${vague}`).not.toBe('satisfied');
                    expect(memory.resolved).toBe(false);
                    expect(lines.slice(1).every((l) => book.owner.lines.ask_when[persona].some((w) => l.includes(w.split('{vague}')[0]!.slice(0, 4)))), `${scenario.id} ${persona}: ${lines.join(' | ')}`).toBe(true);
                }
            }
            const concrete = play(scenario, scenario.persona, [`${action}明天上午10点前到，之后我再给您回个电话。`]);
            expect(concrete.memory.resolved, scenario.id).toBe(true);
        }
    });

    it('reveals a fact only when asked for it, and corrects a restatement whose place is wrong', () => {
        const scenario = book.get('leak_repair')!;
        const none = play(scenario, 'default', ['好的，收到了。']);
        expect(none.memory.revealed).toEqual([]);
        const place = play(scenario, 'default', ['请问您家是几号楼几室？']);
        expect(place.memory.revealed).toEqual(['place']);
        expect(place.lines[1]).toContain('8号楼1202');
        const wrong = play(scenario, 'default', ['我确认一下：您是说9号楼1202卫生间顶上渗水，对吗？']);
        expect(book.owner.lines.correction.default.some((l) => wrong.lines[1]!.startsWith(l.split('{fact}')[0]!))).toBe(true);
        expect(wrong.lines[1]).toContain('8号楼1202');
    });

    it('gets angrier when blamed or given a forbidden phrase, and gives up when it goes on', () => {
        const scenario = book.get('hardship_arrears')!;
        const { memory } = play(scenario, 'default', ['这是你的问题。', '没办法，欠的必须交齐。', '不交就起诉。']);
        expect(memory).toMatchObject({ mood: 'gave_up', ended: true });
    });

    it('replays the same lines from the same seed', () => {
        const scenario = book.get('service_arrears')!;
        const turns = tuning.find((t) => t.id === 'service_arrears-good-01')!.trainee;
        expect(play(scenario, 'young', turns, 42).lines).toEqual(play(scenario, 'young', turns, 42).lines);
    });
});

describe('rehearsal data', () => {
    function brokenCopy(edit: (dir: string) => void): string {
        const dir = mkdtempSync(join(tmpdir(), 'linli-scripts-'));
        cpSync(join(PROJECT_ROOT, 'scripts'), dir, { recursive: true });
        edit(dir);
        return dir;
    }

    it('a broken scenario file stops start-up naming the file and the field', () => {
        const dir = brokenCopy((d) => {
            const file = join(d, 'rehearsal', 'scenarios', 'lift_complaint.json');
            const data = JSON.parse(readFileSync(file, 'utf8')) as { opening: { elderly: string[] } };
            data.opening.elderly = ['只有一句'];
            writeFileSync(file, JSON.stringify(data));
        });
        expect(() => ScenarioBook.load(dir, join(PROJECT_ROOT, 'knowledge'))).toThrow(DataFileError);
        expect(() => ScenarioBook.load(dir, join(PROJECT_ROOT, 'knowledge'))).toThrow(/lift_complaint\.json: opening\.elderly/);
    });

    it('owner lines need three per state and persona, and a scenario must name a script that exists', () => {
        const fewLines = brokenCopy((d) => {
            const file = join(d, 'rehearsal', 'owner.json');
            const data = JSON.parse(readFileSync(file, 'utf8')) as { lines: { angry: { young: string[] } } };
            data.lines.angry.young = data.lines.angry.young.slice(0, 2);
            writeFileSync(file, JSON.stringify(data));
        });
        expect(() => ScenarioBook.load(fewLines, join(PROJECT_ROOT, 'knowledge'))).toThrow(/owner\.json: lines\.angry\.young/);
        const noScript = brokenCopy((d) => {
            const file = join(d, 'rehearsal', 'scenarios', 'leak_repair.json');
            writeFileSync(file, readFileSync(file, 'utf8').replace('"script": "repair"', '"script": "no_such_script"'));
        });
        expect(() => ScenarioBook.load(noScript, join(PROJECT_ROOT, 'knowledge'))).toThrow(/leak_repair\.json: script/);
    });

    it('keeps every Chinese sentence in data: none in the rehearsal code', () => {
        const files = ['CueReader', 'RehearsalScorer', 'SimulatedOwner', 'RehearsalService', 'ScenarioBook', 'RehearsalData', 'Rehearsal', 'Scorecard', 'WordList', 'SeededRandom', 'RehearsalStore'].map((f) => join(PROJECT_ROOT, 'bot', 'rehearsal', `${f}.ts`));
        files.push(join(PROJECT_ROOT, 'bot', 'http', 'rehearsalRoutes.ts'), join(PROJECT_ROOT, 'adapters', 'console', 'rehearseInTerminal.ts'), join(PROJECT_ROOT, 'adapters', 'web', 'trainer', 'trainer.ts'));
        for (const file of files) {
            const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
            expect(code.match(/\p{Script=Han}+/gu) ?? [], file).toEqual([]);
        }
    });
});
