import { z } from 'zod';
import { loadDataFile } from '../dataFile';

/** knowledge/tickets.json: how a ticket is written for staff, and when a later message belongs to the conversation's ticket. */
export const TicketWording = z
    .object({
        $comment: z.string().optional(),
        compose: z
            .object({
                preferredTime: z.string().includes('{preferredTime}'),
                situation: z.string().includes('{situation}'),
                requestJoiner: z.string(),
                place: z.object({ building: z.string().min(1), unit: z.string().min(1), floor: z.string().min(1), room: z.string().min(1) }).strict(),
                emergency: z.object({ department: z.string().min(1).max(64), description: z.string().min(1) }).strict(),
            })
            .strict(),
        amend: z
            .object({
                /** Words that mark an answer as correcting an earlier one ("不对，是5号楼"). */
                correctionWords: z.array(z.string().min(1)).min(1),
                /** Words that mark the wrong value inside a correction ("不是3号楼"): that part is not the new value. */
                notWords: z.array(z.string().min(1)),
                /** How the added detail is named to the owner ("已把{what}补充到工单…"). */
                what: z.object({ phone: z.string().includes('{phone}'), location: z.string().includes('{location}') }).strict(),
                lateUpdateMinutes: z.number().int().min(1).max(1440),
                lateUpdateWhy: z.string().min(10),
            })
            .strict(),
    })
    .strict();
export type TicketWording = z.infer<typeof TicketWording>;

export function loadTicketWording(file: string): TicketWording {
    return loadDataFile(file, TicketWording);
}
