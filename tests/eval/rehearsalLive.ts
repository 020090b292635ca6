import { join } from 'node:path';
import { SqliteRehearsalStore } from '../../adapters/rehearsals/SqliteRehearsalStore';
import { EntityExtractor } from '../../bot/nlu/EntityExtractor';
import { PROJECT_ROOT } from '../../bot/paths';
import { RehearsalService } from '../../bot/rehearsal/RehearsalService';
import { ScenarioBook } from '../../bot/rehearsal/ScenarioBook';
import { LEVELS, REQUIRED_SCENARIOS, loadRehearsalTranscripts } from '../helpers/rehearsalTranscripts';
import { SCORING_NOW } from '../helpers/rehearsalScoring';

/**
 * The tuning transcripts played through live rehearsals, as an outside check over HTTP would: the trainee's turns
 * go to the simulated owner, whose facts are the scenario's (not the transcript's), and the card is the route's.
 * `--held-out` plays the held-out third instead and prints only the aggregates (never tune on them).
 */
async function main(): Promise<void> {
    const service = new RehearsalService({
        book: ScenarioBook.load(join(PROJECT_ROOT, 'scripts')),
        store: new SqliteRehearsalStore(':memory:'),
        entities: new EntityExtractor(() => SCORING_NOW),
        clock: () => SCORING_NOW,
    });
    const heldOut = process.argv.includes('--held-out');
    const tuning = loadRehearsalTranscripts().flatMap((f) => f.transcripts).filter((t) => t.heldOut === heldOut);
    const flaggedGood: string[] = [];
    const scores = new Map<string, number>();
    for (const t of tuning) {
        const r = await service.start({ scenario: t.scenario, persona: t.persona, seed: 1, trainee: 'eval' });
        for (const text of t.trainee) await service.turn(r!.id, text);
        const card = await service.finish(r!.id);
        scores.set(t.id, card!.overall);
        if (t.level === 'good' && card!.forbidden.length > 0) flaggedGood.push(t.id);
        if (process.argv.includes('-v') && !heldOut) console.log(t.id.padEnd(28), card!.overall, card!.steps.map((s) => `${s.step.slice(0, 2)}:${s.score}`).join(' '), card!.forbidden.length, card!.mood);
    }
    for (const scenario of REQUIRED_SCENARIOS) {
        const means = LEVELS.map((level) => {
            const xs = tuning.filter((t) => t.scenario === scenario && t.level === level).map((t) => scores.get(t.id) ?? 0);
            return xs.reduce((a, b) => a + b, 0) / xs.length;
        });
        console.log(`${scenario.padEnd(18)} good ${means[0]!.toFixed(1)}  mediocre ${means[1]!.toFixed(1)}  bad ${means[2]!.toFixed(1)}`);
    }
    console.log(`${heldOut ? 'held-out' : 'tuning'}, played live: good trainees flagged: ${flaggedGood.length ? flaggedGood.join(', ') : 'none'}`);
}

void main();
