import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../bot/paths';

/**
 * The labelled trainee transcripts of issue 14 (tests/rehearsal/transcripts/*.json): written by hand before the
 * rehearsal scorer existed, so that the scorer can be measured on them rather than tuned to itself. The shape
 * lives here, in the tests, because the scorer does not exist yet; its evaluation will read the files through
 * `loadRehearsalTranscripts`.
 */
export const TRANSCRIPT_DIR = join(PROJECT_ROOT, 'tests', 'rehearsal', 'transcripts');

/** The six scenario ids the contract says always exist. */
export const REQUIRED_SCENARIOS = ['lift_complaint', 'vacant_unit', 'hardship_arrears', 'service_arrears', 'elderly_payment', 'leak_repair'] as const;
export const LEVELS = ['good', 'mediocre', 'bad'] as const;
export const STEPS = ['listen', 'empathise', 'clarify', 'resolve', 'follow_up'] as const;

const judgement = z.enum(['good', 'weak', 'missing']);
const phrase = z.string().min(2);
const turn = z.number().int().min(0);

export const transcriptSchema = z
    .object({
        id: z.string().regex(/^[a-z_]+-(good|mediocre|bad)-\d{2}$/),
        scenario: z.enum(REQUIRED_SCENARIOS),
        level: z.enum(LEVELS),
        persona: z.enum(['default', 'elderly', 'young']),
        // Set aside: scored only once, at the end, never used to tune (see the folder's README).
        heldOut: z.boolean(),
        // owner[i] is what the owner said just before trainee[i]; one more owner line may close the conversation.
        owner: z.array(z.string().min(1)),
        // The rehearsal route takes 1–1,000 characters a turn; a transcript is 3–7 trainee turns.
        trainee: z.array(z.string().min(1).max(1000)).min(3).max(7),
        labels: z
            .object({
                steps: z.object(Object.fromEntries(STEPS.map((step) => [step, judgement])) as Record<(typeof STEPS)[number], typeof judgement>).strict(),
                // kind "phrase": a phrase a script lists as forbidden; kind "unsafe": an unsafe or unlawful promise in
                // any words (cutting supply or access to collect fees, money to a worker, forced entry...).
                forbidden: z.array(z.object({ phrase, turn, kind: z.enum(['phrase', 'unsafe']) }).strict()),
                // Words that look like a violation and are not: negations (不收滞纳金, 不要直接给师傅钱), quotations
                // disowning a phrase, the owner's own words restated, a valve closed to stop a leak.
                notViolations: z.array(z.object({ phrase, turn }).strict()),
                goalMet: z.boolean(),
            })
            .strict(),
        note: z.string().min(1),
    })
    .strict()
    .refine((t) => t.owner.length === t.trainee.length || t.owner.length === t.trainee.length + 1, {
        message: 'owner needs one line before each trainee turn, and at most one after the last',
        path: ['owner'],
    });

export const transcriptFileSchema = z
    .object({
        scenario: z.enum(REQUIRED_SCENARIOS),
        transcripts: z.array(transcriptSchema).min(1),
    })
    .strict();

export type RehearsalTranscript = z.infer<typeof transcriptSchema>;

export interface TranscriptFile {
    name: string;
    scenario: string;
    transcripts: RehearsalTranscript[];
}

/** Every transcript file in the folder, parsed; a malformed file throws naming the file and the field. */
export function loadRehearsalTranscripts(dir = TRANSCRIPT_DIR): TranscriptFile[] {
    return readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => {
            const parsed = transcriptFileSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
            if (!parsed.success) {
                const issue = parsed.error.issues[0];
                throw new Error(`${name}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
            }
            return { name, ...parsed.data };
        });
}

/** The number at the end of an id ("lift_complaint-good-02" → 2). */
export function sequenceNumber(id: string): number {
    return Number(id.slice(id.lastIndexOf('-') + 1));
}

/** The split rule: sequence numbers 2, 5, 8, … are held out (two of a group of five or six); the test checks the third. */
export function shouldBeHeldOut(id: string): boolean {
    return sequenceNumber(id) % 3 === 2;
}
