import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Personas, type Persona } from './nlu/NluResult';

/** Every line Linli says outside the flows; the keys are fixed here so a missing line stops start-up. */
export const PhraseKeys = z.enum([
    'welcome',
    'greeting',
    'thanks_bye',
    'not_understood',
    'handoff_coming',
    'flow_pending',
    'too_long',
    'empty_message',
    'turn_error',
    'busy',
    'storage_down',
]);
export type PhraseKey = z.infer<typeof PhraseKeys>;

const Variants = z.array(z.string().min(1)).min(1);
const PerPersona = z.object({ default: Variants }).extend(
    Object.fromEntries(Personas.options.filter((p) => p !== 'default').map((p) => [p, Variants.optional()])) as Record<
        Exclude<Persona, 'default'>,
        z.ZodOptional<typeof Variants>
    >,
);

export const PhrasebookFile = z.object({
    phrases: z.record(PhraseKeys, PerPersona),
});

export class DataFileError extends Error {
    constructor(file: string, error: z.ZodError | Error) {
        const detail =
            error instanceof z.ZodError
                ? error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
                : error.message;
        super(`${file}: ${detail}`);
        this.name = 'DataFileError';
    }
}

/** Reads a JSON data file and validates it; a broken file stops start-up naming the file and the field. */
export function loadDataFile<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
    let raw: unknown;
    try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
        throw new DataFileError(file, error as Error);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new DataFileError(file, parsed.error);
    return parsed.data;
}

/** Picks a line for a persona, falling back to the default wording, varying so Linli does not repeat itself. */
export class Phrasebook {
    constructor(
        private readonly phrases: z.infer<typeof PhrasebookFile>['phrases'],
        private readonly random: () => number = Math.random,
    ) {}

    static fromFile(file: string): Phrasebook {
        return new Phrasebook(loadDataFile(file, PhrasebookFile).phrases);
    }

    say(key: PhraseKey, persona: Persona = 'default'): string {
        const entry = this.phrases[key];
        const variants = (persona !== 'default' ? entry[persona] : undefined) ?? entry.default;
        return variants[Math.floor(this.random() * variants.length)] ?? variants[0] ?? '';
    }
}
