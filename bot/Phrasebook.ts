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
    'faq_unsure',
    'out_of_scope',
    'flow_cancelled',
    'arrears_misconception_intro',
    'arrears_shared',
    'emergency_intro',
    'emergency_followup',
    'ticket_status_none',
    'ticket_status_header',
    'ticket_status_line',
    'ticket_next_deadline',
    'status_received',
    'status_in_progress',
    'status_replied',
    'status_revisited',
    'status_closed',
    'deadline_response',
    'deadline_feedback',
    'deadline_follow_up',
    'follow_up_ask',
    'follow_up_rate',
    'follow_up_thanks',
    'follow_up_not_fixed',
    'payment_reminder',
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
        /** Values every line may use, such as the estate's {hotline} or {installmentPeriods}. */
        private readonly defaults: Record<string, string | number> = {},
        private readonly random: () => number = Math.random,
    ) {}

    static fromFile(file: string, defaults: Record<string, string | number> = {}): Phrasebook {
        return new Phrasebook(loadDataFile(file, PhrasebookFile).phrases, defaults);
    }

    say(key: PhraseKey, persona: Persona = 'default', values: Record<string, string | number> = {}): string {
        const entry = this.phrases[key];
        const variants = (persona !== 'default' ? entry[persona] : undefined) ?? entry.default;
        const line = variants[Math.floor(this.random() * variants.length)] ?? variants[0] ?? '';
        return line.replace(/\{(\w+)\}/g, (m, name: string) => String(values[name] ?? this.defaults[name] ?? m));
    }
}
