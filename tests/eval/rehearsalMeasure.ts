import { LEVELS, REQUIRED_SCENARIOS, loadRehearsalTranscripts, type RehearsalTranscript } from '../helpers/rehearsalTranscripts';
import { TranscriptScorer } from '../helpers/rehearsalScoring';

/**
 * The scorer's figures on the labelled transcripts, per scenario: the mean overall score per level, the gaps the
 * issue asks for (good > mediocre > bad by ≥ 10 each, good − bad ≥ 30), good trainees flagged, and steps scored ≥ 50
 * without evidence. `--held-out` scores the held-out third instead of the tuning set: run it once, at the end, and
 * never tune on what it prints (tests/rehearsal/transcripts/README.md).
 */
const heldOut = process.argv.includes('--held-out');
const set: RehearsalTranscript[] = loadRehearsalTranscripts()
    .flatMap((file) => file.transcripts)
    .filter((t) => t.heldOut === heldOut);
const scorer = new TranscriptScorer();
const cards = set.map((t) => ({ t, card: scorer.score(t) }));
const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
let failures = 0;
console.log(`${heldOut ? 'held-out' : 'tuning'} set: ${set.length} transcripts`);
for (const scenario of REQUIRED_SCENARIOS) {
    const [good, mediocre, bad] = LEVELS.map((level) => mean(cards.filter((c) => c.t.scenario === scenario && c.t.level === level).map((c) => c.card.overall)));
    const ok = good! - mediocre! >= 10 && mediocre! - bad! >= 10 && good! - bad! >= 30;
    if (!ok) failures += 1;
    console.log(`${scenario.padEnd(18)} good ${good!.toFixed(1).padStart(5)}  mediocre ${mediocre!.toFixed(1).padStart(5)}  bad ${bad!.toFixed(1).padStart(5)}  ${ok ? 'ok' : 'GAP TOO SMALL'}`);
}
const flaggedGood = cards.filter((c) => c.t.level === 'good' && c.card.forbidden.length > 0).map((c) => c.t.id);
const noEvidence = cards.flatMap((c) => c.card.steps.filter((s) => s.score >= 50 && s.evidence.every((q) => q === 'missing')).map((s) => `${c.t.id}/${s.step}`));
const excusedFlagged = cards.filter((c) => c.t.labels.notViolations.some((nv) => c.card.forbidden.some((f) => f.turn === nv.turn && (f.phrase.includes(nv.phrase) || nv.phrase.includes(f.phrase))))).map((c) => c.t.id);
const missedFlags = cards.flatMap((c) =>
    c.t.labels.forbidden
        .filter((label) => !c.card.forbidden.some((f) => f.turn === label.turn && f.kind === label.kind && (f.phrase.includes(label.phrase) || label.phrase.includes(f.phrase))))
        .map((label) => `${c.t.id}@${label.turn}:${label.phrase}`),
);
const labelledFlags = cards.reduce((n, c) => n + c.t.labels.forbidden.length, 0);
console.log(`good trainees flagged: ${flaggedGood.length ? flaggedGood.join(', ') : 'none'}`);
console.log(`look-alikes flagged: ${excusedFlagged.length ? excusedFlagged.join(', ') : 'none'}`);
console.log(`steps ≥ 50 without evidence: ${noEvidence.length ? noEvidence.join(', ') : 'none'}`);
// Held out, only counts are printed: none of its words may be read while the scorer can still change.
console.log(`labelled flags found: ${labelledFlags - missedFlags.length}/${labelledFlags}${missedFlags.length && !heldOut ? ` (missed ${missedFlags.join(', ')})` : ''}`);
if (failures > 0 || flaggedGood.length > 0 || noEvidence.length > 0) process.exitCode = 1;
