import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../bot/paths';
import { findNearDuplicates, readEvalLines } from '../eval/nearDuplicates';

// The frozen evaluation splits: each must stay readable by `npm run eval` and free of near-duplicates.
const SPLIT_DIR = join(PROJECT_ROOT, 'tests', 'eval', 'split');
const splits = readdirSync(SPLIT_DIR).filter((name) => name.endsWith('.tsv'));

const SUBS: Record<string, string[]> = {
    greeting: [],
    thanks_bye: [],
    human_agent: [],
    faq: [],
    repair: [],
    complaint: ['facility', 'service', 'fee'],
    emergency: [],
    fee_arrears: ['hardship', 'service_dissatisfaction', 'misconception'],
    ticket_status: [],
    out_of_scope: [],
};

describe.each(splits)('evaluation split %s', (name) => {
    const content = readFileSync(join(SPLIT_DIR, name), 'utf8');
    const rows = content.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));

    it('says it is frozen', () => {
        expect(content).toMatch(/^# .*frozen: never train or tune on this file/m);
    });

    it('has seven fields a line, contract labels and unique ids', () => {
        const ids = new Set<string>();
        for (const row of rows) {
            const [id = '', intent = '', sub = '', escalate = '', persona = '', must = '', text = '', ...rest] = row.split('\t');
            expect(rest, id).toEqual([]);
            expect(ids.has(id), id).toBe(false);
            ids.add(id);
            expect(Object.keys(SUBS), id).toContain(intent);
            const subs = SUBS[intent] ?? [];
            if (subs.length > 0) expect(subs, id).toContain(sub);
            else expect(sub, id).toBe('-');
            expect(['0', '1'], id).toContain(escalate);
            expect(['-', 'elderly', 'young'], id).toContain(persona);
            expect(must.trim(), id).not.toBe('');
            expect(text.trim(), id).not.toBe('');
        }
    });

    it('has no near-duplicates', () => {
        expect(findNearDuplicates(readEvalLines(content))).toEqual([]);
    });
});
