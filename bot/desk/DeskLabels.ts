import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import { Emotions, Personas } from '../nlu/NluResult';
import { HandoffStatuses } from '../handoff/Handoff';
import type { HandoffSettings } from '../handoff/HandoffSettings';
import { TicketCategories, TicketKinds, TicketStatuses } from '../tickets/Ticket';

const Words = z.string().min(1).max(40);
/** A label for every code of `codes`: a code the server sends and the desk cannot name stops start-up. */
const every = (codes: readonly string[]) =>
    z.record(z.string(), Words).superRefine((labels, ctx) => {
        for (const code of codes) if (!(code in labels)) ctx.addIssue({ code: 'custom', path: [code], message: `no label for "${code}"` });
    });

export const DeskLabelsFile = z
    .object({
        $comment: z.string().optional(),
        personas: every(Personas.options),
        emotions: every(Emotions.options),
        statuses: every(HandoffStatuses.options),
        ticketKinds: every(TicketKinds.options),
        ticketCategories: every(TicketCategories.options),
        ticketStatuses: every(TicketStatuses.options),
        roles: every(['supervisor', 'agent', 'trainer']),
        presence: every(['online', 'away', 'offline']),
        events: z.record(z.string(), Words),
    })
    .strict();
export type DeskLabelsFile = z.infer<typeof DeskLabelsFile>;

/** Every word the console shows for a code: the queue's (knowledge/handoff.json) and the desk's own. */
export type DeskWords = DeskLabelsFile & { reasons: Record<string, string>; priorities: Record<string, string>; channels: Record<string, string> };

export function deskWords(labels: DeskLabelsFile, queue: HandoffSettings['words']): DeskWords {
    return { ...labels, reasons: queue.reasons, priorities: queue.priorities, channels: queue.channels };
}

/** The console's Chinese words for the server's codes (scripts/desk/labels.json), checked at start-up. */
export function loadDeskLabels(file: string): DeskLabelsFile {
    return loadDataFile(file, DeskLabelsFile);
}
