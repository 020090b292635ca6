import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fillLine } from '../../bot/Lines';
import { EntityExtractor } from '../../bot/nlu/EntityExtractor';
import { PROJECT_ROOT } from '../../bot/paths';
import { RehearsalService } from '../../bot/rehearsal/RehearsalService';
import type { RehearsalStore } from '../../bot/rehearsal/RehearsalStore';
import { ScenarioBook } from '../../bot/rehearsal/ScenarioBook';
import type { Scorecard } from '../../bot/rehearsal/Scorecard';

/**
 * `npm run rehearse`: a rehearsal in the terminal. Pick a scenario by number, answer the owner line by line, and
 * end with the finish word (or Ctrl+D) to see the scorecard. Same scenarios, owner and scorer as the HTTP routes,
 * stored in the same store (listed under the terminal user's name).
 */
export async function rehearseInTerminal(input: Readable, output: Writable, store: RehearsalStore, trainee: string, clock: () => Date = () => new Date()): Promise<Scorecard | null> {
    const book = ScenarioBook.load(join(PROJECT_ROOT, 'scripts'));
    const service = new RehearsalService({ book, store, entities: new EntityExtractor(clock), clock });
    const words = book.card.console;
    const text = (key: string, values: Record<string, string | number> = {}): string => {
        const value = words[key];
        return typeof value === 'string' ? fillLine(value, values) : key;
    };
    const named = (group: string, key: string): string => {
        const value = words[group];
        return typeof value === 'object' ? (value[key] ?? key) : key;
    };
    const print = (line: string) => output.write(`${line}\n`);
    const scenarios = service.scenarios();
    print(text('title'));
    scenarios.forEach((s, i) => print(`  ${i + 1}. ${s.title} (${s.id})`));
    print(text('pick'));
    let id: string | null = null;
    const lines = createInterface({ input, terminal: false });
    for await (const raw of lines) {
        const line = raw.trim();
        if (!line) continue;
        if (id === null) {
            const chosen = scenarios[Number(line) - 1] ?? scenarios.find((s) => s.id === line);
            if (!chosen) {
                print(text('unknown'));
                continue;
            }
            const started = await service.start({ scenario: chosen.id, trainee });
            if (!started) continue;
            id = started.id;
            print(text('start', { title: chosen.title }));
            const opening = started.transcript[0];
            print(`${text('owner')}（${named('moods', opening?.mood ?? 'calm')}）：${opening?.text ?? ''}`);
            continue;
        }
        if (line === text('finishWord')) break;
        const outcome = await service.turn(id, line);
        if (typeof outcome === 'string') break;
        if (outcome.owner) print(`${text('owner')}（${named('moods', outcome.owner.mood)}）：${outcome.owner.text}`);
        else print(text('ended'));
    }
    lines.close();
    if (id === null) return null;
    const card = await service.finish(id);
    if (!card) return null;
    print('');
    print(`== ${text('card')} · ${text('overall')} ${card.overall} ==`);
    for (const step of card.steps) {
        print(`${named('steps', step.step)} ${step.score}：${step.reason}`);
        print(`    ${text('evidence')}：${step.evidence.join(' / ')}`);
        if (step.model) print(`    ${text('model')}：${step.model}`);
    }
    for (const f of card.forbidden) print(`${text(f.kind === 'unsafe' ? 'unsafe' : 'forbidden')} · ${text('turn', { turn: f.turn + 1 })}：${f.phrase}`);
    print(`${text('mood')}：${named('moods', card.mood)} · ${text('goal')}：${text(card.goalMet ? 'yes' : 'no')}`);
    print(`${text('tips')}：`);
    card.tips.forEach((tip, i) => print(`  ${i + 1}. ${tip}`));
    return card;
}
