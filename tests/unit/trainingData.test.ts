import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataFile } from '../../bot/dataFile';
import { CoverageGridFile, GRID_UTTERANCE_FILES, GridUtterancesFile, loadTrainingUtterances, rowKey, TrainingLabel } from '../../bot/nlu/TrainingData';
import { normalizeText } from '../../bot/nlu/normalizeText';
import { findNearDuplicates } from '../eval/nearDuplicates';
import { KNOWLEDGE_DIR } from '../helpers/knowledge';

// The training data against the coverage grid's quotas (issue 11): every row written in enough voices and forms,
// labels the contract knows, and no sentence written twice under one label.
const grid = loadDataFile(join(KNOWLEDGE_DIR, 'nlu', 'coverage-grid.json'), CoverageGridFile);
const written = GRID_UTTERANCE_FILES.flatMap((file) => loadDataFile(join(KNOWLEDGE_DIR, 'nlu', file), GridUtterancesFile).rows);
const all = loadTrainingUtterances(KNOWLEDGE_DIR);

/** The grid's quotas: at least this many sentences a row, over this many of its voices and of its forms. */
const MIN_PER_ROW = 8;
const MIN_VOICES = 4;
const MIN_FORMS = 3;
/** "Several thousand in all": the sentences written per row, beside the first hand-picked ones. */
const MIN_GRID_SENTENCES = 2500;

const gridRows = grid.rows.map((row) => ({ ...row, key: rowKey(row.sub ? `${row.label}/${row.sub}` : row.label, row.topic) }));

describe('grid training data', () => {
    it('writes only for rows of the grid, with labels the contract knows', () => {
        const keys = new Set(gridRows.map((row) => row.key));
        for (const row of written) expect(keys, rowKey(row.label, row.topic)).toContain(rowKey(row.label, row.topic));
        for (const u of all) expect(TrainingLabel.safeParse(u.label).success, u.label).toBe(true);
    });

    it.each(gridRows.map((row) => [row.key, row] as const))('row %s meets its quota of sentences, voices and forms', (key, row) => {
        const mine = all.filter((u) => u.row === key);
        expect(mine.length).toBeGreaterThanOrEqual(MIN_PER_ROW);
        for (const u of mine) {
            expect(row.voices, u.text).toContain(u.voice);
            expect(row.forms, u.text).toContain(u.form);
        }
        expect(new Set(mine.map((u) => u.voice)).size).toBeGreaterThanOrEqual(Math.min(MIN_VOICES, row.voices.length));
        expect(new Set(mine.map((u) => u.form)).size).toBeGreaterThanOrEqual(Math.min(MIN_FORMS, row.forms.length));
    });

    it('holds several thousand sentences', () => {
        expect(all.filter((u) => u.row !== null).length).toBeGreaterThanOrEqual(MIN_GRID_SENTENCES);
    });

    it('has no near-duplicates within a label, across all the files', () => {
        // Compared as they are read: a sentence rewritten in Traditional characters is the same sentence.
        const lines = all.map((u, i) => ({ id: `${i}:${u.text}`, label: u.label, text: normalizeText(u.text) }));
        expect(findNearDuplicates(lines)).toEqual([]);
    });
});
