import { loadRehearsalTranscripts } from '../helpers/rehearsalTranscripts';
import { TranscriptScorer } from '../helpers/rehearsalScoring';

// Tuning view: the tuning set only (heldOut: false), each transcript's card against its labels.
const scorer = new TranscriptScorer();
for (const file of loadRehearsalTranscripts()) {
    for (const t of file.transcripts.filter((x) => !x.heldOut)) {
        const card = scorer.score(t);
        const steps = card.steps.map((s) => `${s.step.slice(0, 2)}:${s.score}/${t.labels.steps[s.step][0]}`).join(' ');
        const flags = card.forbidden.map((f) => `${f.kind[0]}:${f.phrase}@${f.turn}`).join(', ');
        const want = t.labels.forbidden.map((f) => `${f.kind[0]}:${f.phrase}@${f.turn}`).join(', ');
        console.log(`${t.id.padEnd(28)} ${String(card.overall).padStart(3)} ${steps} goal:${card.goalMet}/${t.labels.goalMet} mood:${card.mood}\n    got[${flags}] want[${want}]`);
    }
}
