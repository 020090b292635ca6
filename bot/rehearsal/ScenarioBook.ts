import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError, loadDataFile } from '../dataFile';
import { fillLine } from '../Lines';
import type { Persona } from '../nlu/NluResult';
import { EstateFile } from '../knowledge/KnowledgeBase';
import { loadFlowScripts, type FlowScript } from '../scripts/FlowScript';
import { CardFile, CueFile, OwnerLinesFile, Scenario, Steps, type Step } from './RehearsalData';

/** The scenario ids the contract says always exist. */
export const REQUIRED_SCENARIOS = ['lift_complaint', 'vacant_unit', 'hardship_arrears', 'service_arrears', 'elderly_payment', 'leak_repair'] as const;

/**
 * The rehearsal data, loaded and checked once at start-up: scenarios (scripts/rehearsal/scenarios/*.json), the
 * owner's lines, the cue lexicons and the scorecard's words, and the flow scripts they rehearse (forbidden phrases,
 * model lines). A broken file stops start-up naming the file and the field.
 */
export class ScenarioBook {
    private constructor(
        readonly scenarios: Map<string, Scenario>,
        readonly cues: CueFile,
        readonly owner: OwnerLinesFile,
        readonly card: CardFile,
        /** Every phrase a flow script forbids. */
        readonly forbidden: string[],
        private readonly models: Map<string, Record<Persona, Record<Step, string>>>,
    ) {}

    static load(scriptsDir: string, knowledgeDir = join(scriptsDir, '..', 'knowledge')): ScenarioBook {
        const dir = join(scriptsDir, 'rehearsal');
        // The estate's own figures ({installmentPeriods}, {hotline} …) fill the model lines, as they fill Linli's.
        const estate = loadDataFile(join(knowledgeDir, 'estate.json'), EstateFile);
        const cues = loadDataFile(join(dir, 'cues.json'), CueFile);
        const owner = loadDataFile(join(dir, 'owner.json'), OwnerLinesFile);
        const card = loadDataFile(join(dir, 'card.json'), CardFile);
        const scripts = loadFlowScripts(scriptsDir);
        const scenarios = new Map<string, Scenario>();
        const models = new Map<string, Record<Persona, Record<Step, string>>>();
        const scenarioDir = join(dir, 'scenarios');
        for (const name of readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort()) {
            const file = join(scenarioDir, name);
            const scenario = loadDataFile(file, Scenario);
            const fail = (field: string, message: string) => new DataFileError(file, new Error(`${field}: ${message}`));
            if (`${scenario.id}.json` !== name) throw fail('id', `must match the file name (${name})`);
            const script = scenario.script === undefined ? undefined : scripts.get(scenario.script);
            if (scenario.script !== undefined && !script) throw fail('script', `no flow script "${scenario.script}" in scripts/`);
            const perPersona = Object.fromEntries(
                (['default', 'elderly', 'young'] as const).map((persona) => [persona, Object.fromEntries(Steps.options.map((step) => [step, modelLine(scenario, script, step, persona, estate, fail)]))]),
            ) as Record<Persona, Record<Step, string>>;
            scenarios.set(scenario.id, scenario);
            models.set(scenario.id, perPersona);
        }
        const missing = REQUIRED_SCENARIOS.filter((id) => !scenarios.has(id));
        if (missing.length > 0) throw new DataFileError(scenarioDir, new Error(`missing required scenarios: ${missing.join(', ')}`));
        const forbidden = [...new Set([...scripts.values()].flatMap((s) => s.forbidden))];
        return new ScenarioBook(scenarios, cues, owner, card, forbidden, models);
    }

    get(id: string): Scenario | undefined {
        return this.scenarios.get(id);
    }

    modelsFor(id: string, persona: Persona): Record<Step, string> {
        const models = this.models.get(id)?.[persona];
        if (!models) throw new Error(`no scenario ${id}`);
        return models;
    }
}

/** The model line of a step: the scenario's own, or the script's first line for that purpose, filled in. */
function modelLine(scenario: Scenario, script: FlowScript | undefined, step: Step, persona: Persona, estate: Record<string, string | number>, fail: (field: string, message: string) => Error): string {
    const own = scenario.models[step];
    const scripted = script?.steps.find((s) => s.purpose === step);
    const line = own ?? (scripted ? ((persona !== 'default' ? scripted.say[persona] : undefined) ?? scripted.say.default)[0] : undefined);
    if (!line) throw fail(`models.${step}`, `no model line: the script "${scenario.script ?? '(none)'}" has no ${step} step, so the scenario must give one`);
    const filled = fillLine(line, scenario.modelValues, estate);
    const left = /\{(\w+)\}/.exec(filled);
    if (left) throw fail('modelValues', `needs a value for {${left[1]}} (the ${step} model line)`);
    return filled;
}
