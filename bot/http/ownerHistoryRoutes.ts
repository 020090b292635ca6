import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { OutcomeStore } from '../outcomes/OutcomeStore';
import type { StaffRole } from '../staff/StaffAccount';
import type { StaffAuth } from './StaffAuth';
import { describeIssues, sendError, staffMember } from './apiErrors';

export interface OwnerHistoryRouteDeps {
    auth: StaffAuth;
    outcomes: OutcomeStore;
}

/** The desk's: an agent looks an owner up beside the conversation they hold; supervisors oversee. */
const DESK: readonly StaffRole[] = ['agent', 'supervisor'];

/** Owners are told apart by channel and owner id together; the desk shows the last few visits, not a whole archive. */
const HistoryQuery = z
    .object({
        channelId: z.string().min(1).max(100),
        ownerId: z.string().min(1).max(1000),
        limit: z.coerce.number().int().min(1).max(50).default(10),
    })
    .strict();

/**
 * `GET /api/owners/conversations?channelId=&ownerId=&limit=` → `{conversations}`: one owner's conversations, newest
 * first, from the outcome records (when each began, whether and why it went to a person, who took it, how it ended,
 * the owner's rating), so an agent sees an owner's past visits with or without a ticket.
 */
export function registerOwnerHistoryRoutes(server: Server, deps: OwnerHistoryRouteDeps): void {
    server.get('/api/owners/conversations', async (req: Request, res: Response) => {
        if (!(await staffMember(deps.auth, req, res, DESK))) return;
        const query = HistoryQuery.safeParse(req.query ?? {});
        if (!query.success) return sendError(res, 400, 'invalid_query', describeIssues(query.error));
        const { channelId, ownerId, limit } = query.data;
        const records = await deps.outcomes.ofOwner(channelId, ownerId, limit);
        res.json({
            conversations: records.map((o) => ({
                conversationId: o.conversationId,
                channelId: o.channelId,
                startedAt: o.startedAt,
                handoff: o.handoff,
                agent: o.agent,
                acceptedAt: o.acceptedAt,
                resolution: o.resolution,
                reopens: o.reopens,
                satisfaction: o.satisfaction,
            })),
        });
    });
}
