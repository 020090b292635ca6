import { join } from 'node:path';
import { EntityExtractor } from '../../bot/nlu/EntityExtractor';
import { PROJECT_ROOT } from '../../bot/paths';
import { CueReader } from '../../bot/rehearsal/CueReader';
import { RehearsalScorer } from '../../bot/rehearsal/RehearsalScorer';
import { ScenarioBook } from '../../bot/rehearsal/ScenarioBook';
import type { Scorecard } from '../../bot/rehearsal/Scorecard';
import { SimulatedOwner } from '../../bot/rehearsal/SimulatedOwner';
import type { RehearsalTranscript } from './rehearsalTranscripts';

/** A fixed "now" for the date recogniser, so relative times (明天下午三点) read the same on every run. */
export const SCORING_NOW = new Date('2026-12-01T02:00:00Z');

/** The scorer as the server builds it, for scoring labelled transcripts offline. */
export class TranscriptScorer {
    readonly book = ScenarioBook.load(join(PROJECT_ROOT, 'scripts'));
    readonly reader = new CueReader(this.book.cues, this.book.forbidden, new EntityExtractor(() => SCORING_NOW));
    readonly scorer = new RehearsalScorer(this.reader, this.book.cues, this.book.card);

    /** Scores a transcript's trainee turns against what its owner said; the simulated owner gives the final mood. */
    score(t: Pick<RehearsalTranscript, 'scenario' | 'persona' | 'owner' | 'trainee'>): Scorecard {
        const scenario = this.book.get(t.scenario);
        if (!scenario) throw new Error(`no scenario ${t.scenario}`);
        // Each turn is read against what the owner had said before it (owner[i] comes just before trainee[i]).
        const ownerWords = t.trainee.map((_, i) => t.owner.slice(0, i + 1).join('\n'));
        const owner = new SimulatedOwner(scenario, t.persona, this.book.owner, 1);
        let { memory } = owner.start();
        t.trainee.forEach((words, i) => {
            if (!memory.ended) memory = owner.answer(memory, this.reader.read(words, ownerWords[i] ?? '', scenario)).memory;
        });
        return this.scorer.score({ scenario, trainee: t.trainee, ownerWords, mood: memory.mood, models: this.book.modelsFor(scenario.id, t.persona) });
    }
}
