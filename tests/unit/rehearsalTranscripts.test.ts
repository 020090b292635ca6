import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../bot/paths';
import { loadFlowScripts } from '../../bot/scripts/FlowScript';
import { findNearDuplicates, NEAR_DUPLICATE_OVERLAP } from '../eval/nearDuplicates';
import { LEVELS, REQUIRED_SCENARIOS, STEPS, loadRehearsalTranscripts, shouldBeHeldOut, type RehearsalTranscript } from '../helpers/rehearsalTranscripts';
import { join } from 'node:path';

// The labelled set the rehearsal scorer will be measured on (issue 14). These checks keep it honest as data: enough
// of each level, labels that point at the trainee's real words, and a held-out third that stays set aside.
const files = loadRehearsalTranscripts();
const all: RehearsalTranscript[] = files.flatMap((file) => file.transcripts);
const scriptForbidden = [...new Set([...loadFlowScripts(join(PROJECT_ROOT, 'scripts')).values()].flatMap((script) => script.forbidden))];
const MIN_PER_LEVEL = 5;

function group(scenario: string, level: string): RehearsalTranscript[] {
    return all.filter((t) => t.scenario === scenario && t.level === level);
}

describe('rehearsal transcripts (tests/rehearsal/transcripts)', () => {
    it('has one file per required scenario, named after it, holding only that scenario', () => {
        expect(files.map((file) => file.scenario).sort()).toEqual([...REQUIRED_SCENARIOS].sort());
        for (const file of files) {
            expect(file.name).toBe(`${file.scenario}.json`);
            for (const t of file.transcripts) {
                expect(t.scenario, t.id).toBe(file.scenario);
                expect(t.id.startsWith(`${t.scenario}-${t.level}-`), t.id).toBe(true);
            }
        }
    });

    it('has no duplicate ids', () => {
        const ids = all.map((t) => t.id);
        expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    });

    it.each(REQUIRED_SCENARIOS)('%s has at least five transcripts of each level, at least a third of each held out by the id rule', (scenario) => {
        for (const level of LEVELS) {
            const transcripts = group(scenario, level);
            expect(transcripts.length, `${scenario} ${level}`).toBeGreaterThanOrEqual(MIN_PER_LEVEL);
            for (const t of transcripts) expect(t.heldOut, t.id).toBe(shouldBeHeldOut(t.id));
            const heldOut = transcripts.filter((t) => t.heldOut).length;
            expect(heldOut * 3, `${scenario} ${level}: ${heldOut} of ${transcripts.length} held out`).toBeGreaterThanOrEqual(transcripts.length);
            // Both halves of the split must hold every level, or the tuning half could not see what it is tuned for.
            expect(transcripts.length - heldOut, `${scenario} ${level}`).toBeGreaterThan(0);
        }
    });

    it('labels every flagged or excused phrase at a turn whose words contain it', () => {
        for (const t of all) {
            for (const entry of [...t.labels.forbidden, ...t.labels.notViolations]) {
                const words = t.trainee[entry.turn];
                expect(words, `${t.id} turn ${entry.turn}`).toBeDefined();
                expect(words, `${t.id}: "${entry.phrase}"`).toContain(entry.phrase);
            }
            for (const entry of t.labels.forbidden) {
                if (entry.kind === 'phrase') expect(scriptForbidden, `${t.id}: "${entry.phrase}" is not a scripted phrase`).toContain(entry.phrase);
            }
        }
    });

    it('accounts for every scripted forbidden phrase in the trainee words: flagged, or excused as a negation or quotation', () => {
        for (const t of all) {
            t.trainee.forEach((words, turn) => {
                for (const listed of scriptForbidden) {
                    if (!words.includes(listed)) continue;
                    const covered = [...t.labels.forbidden, ...t.labels.notViolations].some((entry) => entry.turn === turn && entry.phrase.includes(listed));
                    expect(covered, `${t.id} turn ${turn} says "${listed}" without a label`).toBe(true);
                }
            });
        }
    });

    it('keeps the levels apart in their labels', () => {
        for (const t of all) {
            const judgements = STEPS.map((step) => t.labels.steps[step]);
            if (t.level === 'good') {
                expect(t.labels.forbidden, t.id).toEqual([]);
                expect(judgements.every((j) => j === 'good'), t.id).toBe(true);
                expect(t.labels.goalMet, t.id).toBe(true);
            }
            if (t.level === 'mediocre') {
                expect(t.labels.forbidden, t.id).toEqual([]);
                expect(judgements.some((j) => j !== 'good'), t.id).toBe(true);
                expect(judgements.some((j) => j !== 'missing'), t.id).toBe(true);
            }
            if (t.level === 'bad') {
                expect(judgements.includes('good'), t.id).toBe(false);
                expect(t.labels.goalMet, t.id).toBe(false);
            }
        }
    });

    it.each(REQUIRED_SCENARIOS)('%s gives the scorer false-flag checks: a good transcript with a look-alike that is no violation', (scenario) => {
        expect(group(scenario, 'good').some((t) => t.labels.notViolations.length > 0)).toBe(true);
    });

    it('speaks to elderly owners in the elderly payment scenario and to young owners elsewhere', () => {
        expect(group('elderly_payment', 'good').every((t) => t.persona === 'elderly')).toBe(true);
        expect(all.some((t) => t.persona === 'young')).toBe(true);
    });

    it('has no two transcripts of the same scenario and level near-identical', () => {
        const lines = all.map((t) => ({ id: t.id, label: `${t.scenario}/${t.level}`, text: t.trainee.join('') }));
        expect(findNearDuplicates(lines, NEAR_DUPLICATE_OVERLAP)).toEqual([]);
    });
});
