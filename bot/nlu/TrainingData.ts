import { join } from 'node:path';
import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import { ArrearsTypes, ComplaintCategories, Intents } from './NluResult';

/** Labels are an intent, or an intent and its sub-label: `complaint/fee`, `fee_arrears/hardship`. */
export const TrainingLabel = z.string().refine((label) => {
    const [intent, sub] = label.split('/');
    if (!Intents.safeParse(intent).success) return false;
    if (sub === undefined) return intent !== 'complaint' && intent !== 'fee_arrears';
    if (intent === 'complaint') return ComplaintCategories.safeParse(sub).success;
    if (intent === 'fee_arrears') return ArrearsTypes.safeParse(sub).success;
    return false;
}, 'expected an intent, or complaint/<category>, or fee_arrears/<type>');

/** knowledge/nlu/utterances.json: the first, hand-picked sentences, label → texts. */
export const UtterancesFile = z.record(TrainingLabel, z.array(z.string().min(1)).min(5));

/** The coverage grid's voices and forms (knowledge/nlu/coverage-grid.json explains each). */
export const Voices = z.enum(['elderly', 'young', 'plain', 'angry', 'traditional', 'typos_homophones', 'dialect', 'long_story', 'fragment']);
export type Voice = z.infer<typeof Voices>;
export const Forms = z.enum(['question', 'statement', 'demand', 'story']);
export type Form = z.infer<typeof Forms>;

/** knowledge/nlu/coverage-grid.json: one row per (label, topic) with its boundary and the voices and forms it asks for. */
export const CoverageGridFile = z.object({
    $comment: z.string().optional(),
    rows: z.array(
        z.object({
            label: Intents,
            sub: z.string().nullable(),
            topic: z.string().min(1),
            description: z.string().min(1),
            escalate: z.string().nullable(),
            voices: z.array(Voices).min(1),
            forms: z.array(Forms).min(1),
        }),
    ),
});
export type CoverageGrid = z.infer<typeof CoverageGridFile>;

/**
 * knowledge/nlu/grid-utterances.json: owner messages written per grid row, each with the voice and form it was
 * written in, so the quotas can be checked and cross-validation can keep every row in every fold.
 */
export const GridUtterancesFile = z.object({
    $comment: z.string().optional(),
    rows: z.array(
        z.object({
            label: TrainingLabel,
            topic: z.string().min(1),
            utterances: z.array(z.object({ voice: Voices, form: Forms, text: z.string().min(1) })).min(1),
        }),
    ),
});

export interface TrainingUtterance {
    label: string;
    text: string;
    /** The file under knowledge/nlu it was read from, so an evaluation can report each file apart. */
    source: string;
    /** The grid row (`rowKey`) it was written for; null for the first hand-picked sentences. */
    row: string | null;
    voice: Voice | null;
    form: Form | null;
}

/**
 * The files of sentences written per grid row, in the schema of GridUtterancesFile. More than one so that sentences
 * written for one purpose can be written and reviewed while the main file is being edited (grid-utterances-extra.json:
 * the boundaries an evaluation found misread; grid-utterances-danger.json: danger now told in everyday words beside the
 * same objects' repairs, complaints and questions; grid-utterances-money.json: fee arrears — hardship told as a story
 * or a question, refusals over service, mistaken grounds — against fee complaints, the policy question, status
 * grumbles and complaints about a worker; grid-utterances-talk.json: everyday talk at the boundaries — questions on
 * the knowledge entries, also worded as grumbles, beside grievances on the same topics, out-of-scope questions in the
 * same shapes, bare wishes to complain or report a repair, short thanks and hellos, requests for a person and status
 * questions; grid-utterances-category.json: complaint categories that follow the object, not the anger words, and
 * refusals to pay until something is fixed against complaints that only say the owner has paid); all are trained on
 * alike.
 */
export const GRID_UTTERANCE_FILES = [
    'grid-utterances.json',
    'grid-utterances-extra.json',
    'grid-utterances-danger.json',
    'grid-utterances-money.json',
    'grid-utterances-talk.json',
    'grid-utterances-category.json',
] as const;

/** The files under knowledge/nlu the model is trained from (its fingerprint covers them all). */
export const TRAINING_FILES = ['utterances.json', ...GRID_UTTERANCE_FILES, 'domain-dict.txt'] as const;

/** A grid row's name: its full label (intent, or intent/sub) and topic. */
export function rowKey(label: string, topic: string): string {
    return `${label} ${topic}`;
}

/** Every training sentence from all the files, in file order. */
export function loadTrainingUtterances(knowledgeDir: string): TrainingUtterance[] {
    const first = loadDataFile(join(knowledgeDir, 'nlu', 'utterances.json'), UtterancesFile);
    return [
        ...Object.entries(first).flatMap(([label, texts]) => texts.map((text) => ({ label, text, source: 'utterances.json', row: null, voice: null, form: null }))),
        ...GRID_UTTERANCE_FILES.flatMap((source) =>
            loadDataFile(join(knowledgeDir, 'nlu', source), GridUtterancesFile).rows.flatMap((row) =>
                row.utterances.map((u) => ({ label: row.label, text: u.text, source, row: rowKey(row.label, row.topic), voice: u.voice, form: u.form })),
            ),
        ),
    ];
}
