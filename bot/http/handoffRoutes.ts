import type { Next, Request, Response, Server } from 'restify';
import { JsonBodyReader, STAFF_BODY_BYTES } from './JsonBodyReader';
import { z } from 'zod';
import { HandoffConflictError, HandoffPosition, HandoffStatuses, type Handoff } from '../handoff/Handoff';
import { decodeCursor, encodeCursor } from '../paging/PageCursor';
import { BAD_CURSOR, PageQuery } from './pageQuery';
import { HandoffNotFoundError, HandoffStateError, OwnerUnreachableError } from '../handoff/HandoffErrors';
import type { FeedEvent, HandoffFeed } from '../handoff/HandoffFeed';
import type { HandoffService } from '../handoff/HandoffService';
import type { SuggestedReplies } from '../handoff/SuggestedReplies';
import type { Logger } from '../logger';
import type { StaffAuth } from './StaffAuth';
import { describeIssues, sendError, staffName } from './apiErrors';
import { OutsideWindowError } from '../channels/OutsideWindowError';

export interface HandoffRouteDeps {
    handoffs: HandoffService;
    feed: HandoffFeed;
    suggestions: SuggestedReplies;
    auth: StaffAuth;
    logger: Logger;
    clock: () => Date;
    /** What the owner's channel adds to a queue entry (WeChat: `wechat: {remaining, windowClosesAt}`). */
    channelStatus?: (handoff: Handoff) => Promise<Record<string, unknown>>;
}

const ListQuery = PageQuery.extend({ status: HandoffStatuses.default('queued') });
const MessageBody = z.object({ text: z.string().trim().min(1).max(2000) }).strict();
/** Lines of the transcript shown with each queue entry. */
const LAST_MESSAGES = 5;
/** A comment line on the live feed this often, so proxies keep the stream open and dead consoles are noticed. */
const HEARTBEAT_MS = 15_000;


/** The agent API of the contract (queue, accept, messages, transcript, release) and the live feed. Bearer token required. */
/** Every staff body is JSON, capped after decompression (the token is checked before, by StaffGate). */
const staffBody = new JsonBodyReader(STAFF_BODY_BYTES).handler;

export function registerHandoffRoutes(server: Server, deps: HandoffRouteDeps): void {
    const staff = (req: Request, res: Response) => staffName(deps.auth, req, res);
    const id = (req: Request) => String(req.params.conversationId);
    const failFor = (res: Response, error: unknown): void => {
        if (error instanceof HandoffNotFoundError) return sendError(res, 404, 'not_found', error.message);
        if (error instanceof HandoffStateError || error instanceof HandoffConflictError) return sendError(res, 409, 'conflict', error.message);
        if (error instanceof OwnerUnreachableError) return sendError(res, 502, 'owner_unreachable', error.message);
        if (error instanceof OutsideWindowError) return sendError(res, 409, 'outside_window', error.message);
        throw error;
    };
    const view = async (h: Handoff) => {
        const lastMessages = (await deps.handoffs.transcript(h.conversationId)).filter((e) => e.from !== 'system').slice(-LAST_MESSAGES);
        const channel = deps.channelStatus ? await deps.channelStatus(h).catch(() => ({})) : {};
        // What the owner last said: while a handoff waits Linli acknowledges every message, and its own line tells the
        // agent nothing.
        const lastFromOwner = lastMessages.findLast((e) => e.from === 'owner');
        return {
            ...h,
            ...channel,
            reference: undefined,
            waitingSeconds: Math.max(0, Math.round((deps.clock().getTime() - Date.parse(h.since)) / 1000)),
            lastMessage: lastFromOwner?.text ?? lastMessages.at(-1)?.text ?? null,
            lastMessages,
        };
    };

    server.get('/api/handoffs', async (req: Request, res: Response) => {
        if (!staff(req, res)) return;
        const query = ListQuery.safeParse(req.query ?? {});
        if (!query.success) return sendError(res, 400, 'invalid_query', describeIssues(query.error));
        const { status, limit, cursor } = query.data;
        const after = cursor === undefined ? null : decodeCursor(HandoffPosition, cursor);
        if (after === null && cursor !== undefined) return sendError(res, 400, 'invalid_query', BAD_CURSOR);
        // Queue order, as the contract says: priority 1 and 2 ahead of everything else, then whoever waited longest.
        const page = await deps.handoffs.page(status, limit, after);
        res.json({
            handoffs: await Promise.all(page.handoffs.map(view)),
            total: page.total,
            countsByPriority: page.countsByPriority,
            nextCursor: page.next && encodeCursor(page.next),
        });
    });

    // Callback-style on purpose: the stream stays open, and the chain ends only when the console goes away.
    server.get('/api/handoffs/feed', (req: Request, res: Response, next: Next) => {
        if (!staff(req, res)) return next(false);
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': linli handoff feed\n\n');
        const unsubscribe = deps.feed.subscribe((event: FeedEvent) => {
            const data = 'handoff' in event ? { ...event, handoff: { ...event.handoff, reference: undefined } } : event;
            res.write(`event: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
        });
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        req.on('close', () => {
            clearInterval(heartbeat);
            unsubscribe();
            next(false);
        });
    });

    server.get('/api/handoffs/:conversationId/transcript', async (req: Request, res: Response) => {
        if (!staff(req, res)) return;
        const handoff = await deps.handoffs.get(id(req));
        if (!handoff) return sendError(res, 404, 'not_found', `no handoff for conversation ${id(req)}`);
        const entries = await deps.handoffs.transcript(id(req));
        res.json({
            conversationId: id(req),
            handoff: { ...handoff, reference: undefined },
            entries,
            // Beyond the contract: replies from the training scripts in the owner's register, for the console.
            suggestions: deps.suggestions.for(handoff, entries),
        });
    });

    // Accept and release: the same shape, the handoff as the queue shows it plus whether the owner was told.
    for (const action of ['accept', 'release'] as const) {
        server.post(`/api/handoffs/:conversationId/${action}`, async (req: Request, res: Response) => {
            const agent = staff(req, res);
            if (!agent) return;
            try {
                const { handoff, ownerNotified } = await deps.handoffs[action](id(req), agent);
                res.json({ ...(await view(handoff)), ownerNotified });
            } catch (error) {
                failFor(res, error);
            }
        });
    }

    server.post('/api/handoffs/:conversationId/messages', staffBody, async (req: Request, res: Response) => {
        const agent = staff(req, res);
        if (!agent) return;
        const body = MessageBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        try {
            await deps.handoffs.sendAgentMessage(id(req), agent, body.data.text);
            res.json({ sent: true });
        } catch (error) {
            failFor(res, error);
        }
    });
}
