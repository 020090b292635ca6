import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../bot/dataFile';
import { PROJECT_ROOT } from '../../bot/paths';
import { loadFlowScripts } from '../../bot/scripts/FlowScript';

const SCRIPTS = join(PROJECT_ROOT, 'scripts');

/** A scripts folder holding the shipped repair script, changed by `edit`: what a trainer's slip looks like. */
function editedRepairScript(edit: (script: Record<string, unknown> & { steps: Record<string, unknown>[]; ticket: Record<string, unknown> }) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'linli-scripts-'));
    const script = JSON.parse(readFileSync(join(SCRIPTS, 'repair.json'), 'utf8')) as Parameters<typeof edit>[0];
    edit(script);
    writeFileSync(join(dir, 'repair.json'), JSON.stringify(script));
    copyFileSync(join(SCRIPTS, 'phrases.json'), join(dir, 'phrases.json'));
    return dir;
}

describe('flow scripts (scripts/*.json)', () => {
    it('loads every shipped script, each flow with its steps and rubric', () => {
        const scripts = loadFlowScripts(SCRIPTS);
        expect([...scripts.keys()].sort()).toEqual(['arrears_dissatisfaction', 'complaint', 'installment', 'repair']);
        for (const script of scripts.values()) {
            expect(script.steps.every((step) => step.rubric.length > 0)).toBe(true);
            expect(script.forbidden.length).toBeGreaterThan(0);
        }
    });

    it('stops start-up on a broken script, naming the file and the field', () => {
        const dir = editedRepairScript((script) => {
            delete script.steps[1]!.reask;
        });
        expect(() => loadFlowScripts(dir)).toThrow(DataFileError);
        expect(() => loadFlowScripts(dir)).toThrow(/repair\.json: steps\.1\.reask/);
    });

    it('refuses a "listen" step after "resolve"', () => {
        const dir = editedRepairScript((script) => {
            script.steps.push({ ...script.steps[1]! });
        });
        expect(() => loadFlowScripts(dir)).toThrow(/repair\.json: steps: every "listen" step must come before "resolve"/);
    });

    it('keeps the flow rules where they apply: leak words only on repairs, a first-message answer only for text slots', () => {
        const leak = editedRepairScript((script) => {
            script.ticket.kind = 'complaint';
        });
        expect(() => loadFlowScripts(leak)).toThrow(/repair\.json: ticket\.leakWords: only repairs/);
        const answered = editedRepairScript((script) => {
            script.steps[2]!.answeredBy = ['明天'];
        });
        expect(() => loadFlowScripts(answered)).toThrow(/repair\.json: steps\.2\.answeredBy: only a text slot/);
    });
});
