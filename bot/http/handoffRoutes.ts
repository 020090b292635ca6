import type { Next, Request, Response, Server } from 'restify';
import { JsonBodyReader, STAFF_BODY_BYTES } from './JsonBodyReader';
import { z } from 'zod';
import { HandoffConflictError, HandoffPosition, HandoffStatuses, type Handoff } from '../handoff/Handoff';
import { decodeCursor, encodeCursor } from '../paging/PageCursor';
import { BAD_CURSOR, PageQuery } from './pageQuery';
import { HandoffNotFoundError, HandoffStateError, OwnerUnreachableError } from '../handoff/HandoffErrors';
import type { FeedEvent, HandoffFeed } from '../handoff/HandoffFeed';
import type { HandoffService } from '../handoff/HandoffService';
import type { HandoffSettings } from '../handoff/HandoffSettings';
import type { SuggestedReplies } from '../handoff/SuggestedReplies';
import type { Logger } from '../logger';
import { StaffAuth } from './StaffAuth';
import { describeIssues, sendError, staffMember } from './apiErrors';
import { OutsideWindowError } from '../channels/OutsideWindowError';
import { hasRole, type StaffRole } from '../staff/StaffAccount';

export interface HandoffRouteDeps {
    handoffs: HandoffService;
    feed: HandoffFeed;
    suggestions: SuggestedReplies;
    auth: StaffAuth;
    logger: Logger;
    clock: () => Date;
    /** The words the queue shows for reasons, priorities and channels (knowledge/handoff.json). */
    words: HandoffSettings['words'];
    /** How often the live feed writes a heartbeat and records the agent as seen (STAFF_HEARTBEAT_SECONDS). */
    heartbeatMs: number;
    /** Told when an agent's console connects (offers are made at once). */
    onAgentConnected?: () => void;
    /** The handoff's linked ticket (its kind and place shape the suggested replies). */
    ticket?: (id: string) => Promise<{ kind: string; location: string | null } | null>;
    /** What the owner's channel adds to a queue entry (WeChat: `wechat: {remaining, windowClosesAt}`). */
    channelStatus?: (handoff: Handoff) => Promise<Record<string, unknown>>;
}

const ListQuery = PageQuery.extend({ status: HandoffStatuses.default('queued') });
const MessageBody = z.object({ text: z.string().trim().min(1).max(2000) }).strict();
const NoteBody = MessageBody;
const TransferBody = z.object({ to: z.string().min(1).max(64), note: z.string().trim().max(2000).nullish() }).strict();
/** Lines of the transcript shown with each queue entry. */
const LAST_MESSAGES = 5;

/** Who may read the queue, and who may act on a conversation. */
const READERS: readonly StaffRole[] = ['agent', 'supervisor'];
const AGENTS: readonly StaffRole[] = ['agent'];

/** Every staff body is JSON, capped after decompression (the token is checked before, by StaffGate). */
const staffBody = new JsonBodyReader(STAFF_BODY_BYTES).handler;

/**
 * The agent API of the contract (queue, accept, messages, transcript, release), the shift desk's transfer and notes,
 * and the live feed. Bearer token required; reading needs the agent or supervisor role, acting the agent role.
 */
export function registerHandoffRoutes(server: Server, deps: HandoffRouteDeps): void {
    const member = (req: Request, res: Response, roles: readonly StaffRole[]) => staffMember(deps.auth, req, res, roles);
    const id = (req: Request) => String(req.params.conversationId);
    const failFor = (res: Response, error: unknown): void => {
        if (error instanceof HandoffNotFoundError) return sendError(res, 404, 'not_found', error.message);
        if (error instanceof HandoffStateError || error instanceof HandoffConflictError) return sendError(res, 409, 'conflict', error.message);
        if (error instanceof OwnerUnreachableError) return sendError(res, 502, 'owner_unreachable', error.message);
        if (error instanceof OutsideWindowError) return sendError(res, 409, 'outside_window', error.message);
        throw error;
    };
    /** What every handoff shown to staff carries beyond its stored fields: words, deadlines, the offer, the agent's name. */
    const entry = async (h: Handoff) => ({
        ...h,
        reference: undefined,
        offeredBefore: undefined,
        remindedAt: undefined,
        reasonText: deps.words.reasons[h.reason],
        priorityText: deps.words.priorities[String(h.priority) as '1'],
        channel: h.channelId,
        channelText: deps.words.channels[h.channelId] ?? deps.words.otherChannel,
        slaDueAt: deps.handoffs.slaDueAt(h),
        offerExpiresAt: deps.handoffs.offerExpiresAt(h),
        agentDisplayName: h.agent ? await deps.auth.directory.displayNameOf(h.agent) : null,
    });
    const view = async (h: Handoff) => {
        const said = (await deps.handoffs.transcript(h.conversationId)).filter((e) => e.from !== 'system');
        const lastMessages = said.slice(-LAST_MESSAGES);
        const channel = deps.channelStatus ? await deps.channelStatus(h).catch(() => ({})) : {};
        // What the owner last said: while a handoff waits Linli acknowledges every message, and its own line (or the
        // agent's greeting) tells the agent nothing.
        const lastFromOwner = said.findLast((e) => e.from === 'owner' && e.text);
        return {
            ...(await entry(h)),
            ...channel,
            waitingSeconds: Math.max(0, Math.round((deps.clock().getTime() - Date.parse(h.since)) / 1000)),
            lastMessage: lastFromOwner?.text ?? lastMessages.at(-1)?.text ?? null,
            lastMessages,
        };
    };

    server.get('/api/handoffs', async (req: Request, res: Response) => {
        if (!(await member(req, res, READERS))) return;
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
        void (async () => {
            const staff = await member(req, res, READERS);
            if (!staff) return next(false);
            const { account } = staff;
            // An agent holding the feed is online (and seen at every heartbeat); a supervisor only watches.
            const agent = hasRole(account, AGENTS);
            const seen = (connecting: boolean) => {
                if (!agent) return;
                deps.auth.directory.seen(account, connecting).then(
                    () => connecting && deps.onAgentConnected?.(),
                    (error: unknown) => deps.logger.warn({ err: error, staff: account.name }, 'presence not recorded'),
                );
            };
            res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
            res.write(': linli handoff feed\n\n');
            seen(true);
            // Events are written in the order they came, whatever their display names take to look up.
            let written = Promise.resolve();
            const unsubscribe = deps.feed.subscribe((event: FeedEvent) => {
                written = written.then(() =>
                    toConsole(event).then(
                        (data) => void res.write(`event: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`),
                        (error: unknown) => deps.logger.warn({ err: error, type: event.type }, 'feed event not sent'),
                    ),
                );
            });
            // A comment line this often, so proxies keep the stream open, dead consoles are noticed, and the agent is seen.
            // The token is checked again each time: a session signed out, expired or disabled ends its stream too.
            const token = StaffAuth.bearerToken(req.headers.authorization) ?? '';
            const heartbeat = setInterval(() => {
                deps.auth.directory.authenticate(token).then(
                    (still) => {
                        if (!still) return void res.end();
                        res.write(': keep-alive\n\n');
                        seen(false);
                    },
                    // The store does not answer: keep the stream (the console would only reconnect to the same).
                    () => void res.write(': keep-alive\n\n'),
                );
            }, deps.heartbeatMs);
            let ended = false;
            const end = () => {
                if (ended) return;
                ended = true;
                clearInterval(heartbeat);
                unsubscribe();
                next(false);
            };
            req.on('close', end);
            res.on('finish', end);
        })().catch((error: unknown) => {
            deps.logger.warn({ err: error }, 'feed not opened');
            if (!res.headersSent) sendError(res, 503, 'store_unavailable', 'the store does not answer; try again shortly');
            next(false);
        });
    });
    const toConsole = async (event: FeedEvent) => ('handoff' in event ? { ...event, handoff: await entry(event.handoff) } : event);

    server.get('/api/handoffs/:conversationId/transcript', async (req: Request, res: Response) => {
        const reader = await member(req, res, READERS);
        if (!reader) return;
        const handoff = await deps.handoffs.get(id(req));
        if (!handoff) return sendError(res, 404, 'not_found', `no handoff for conversation ${id(req)}`);
        const entries = await deps.handoffs.transcript(id(req));
        res.json({
            conversationId: id(req),
            handoff: await entry(handoff),
            entries,
            // Beyond the contract: replies that fit the case from the desk's library, in the owner's register, signed
            // with the name the reader uses towards owners, with the place on the linked ticket when it has one.
            suggestions: deps.suggestions.for(handoff, entries, reader.account.displayName, handoff.ticketId && deps.ticket ? await deps.ticket(handoff.ticketId).catch(() => null) : null),
        });
    });

    // Accept and release: the same shape, the handoff as the queue shows it plus whether the owner was told.
    for (const action of ['accept', 'release'] as const) {
        server.post(`/api/handoffs/:conversationId/${action}`, async (req: Request, res: Response) => {
            const staff = await member(req, res, AGENTS);
            if (!staff) return;
            try {
                const { name, displayName } = staff.account;
                const { handoff, ownerNotified } = action === 'accept' ? await deps.handoffs.accept(id(req), name, displayName) : await deps.handoffs.release(id(req), name);
                res.json({ ...(await view(handoff)), ownerNotified });
            } catch (error) {
                failFor(res, error);
            }
        });
    }

    server.post('/api/handoffs/:conversationId/messages', staffBody, async (req: Request, res: Response) => {
        const staff = await member(req, res, AGENTS);
        if (!staff) return;
        const body = MessageBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        try {
            await deps.handoffs.sendAgentMessage(id(req), staff.account.name, body.data.text, staff.account.displayName);
            res.json({ sent: true });
        } catch (error) {
            failFor(res, error);
        }
    });

    server.post('/api/handoffs/:conversationId/transfer', staffBody, async (req: Request, res: Response) => {
        const staff = await member(req, res, ['agent', 'supervisor']);
        if (!staff) return;
        const body = TransferBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        const directory = deps.auth.directory;
        const to = await directory.account(body.data.to);
        if (!to || !hasRole(to, AGENTS)) return sendError(res, 400, 'invalid_body', `to: no agent named ${body.data.to}`);
        const presence = await directory.presenceOf(to);
        if (to.disabled || presence.status !== 'online') return sendError(res, 409, 'agent_unavailable', `${to.name} is ${to.disabled ? 'disabled' : presence.status}; transfer to an agent who is online`);
        try {
            const supervisor = hasRole(staff.account, ['supervisor']);
            const { handoff, ownerNotified } = await deps.handoffs.transfer(id(req), staff.account.name, to, body.data.note || null, supervisor);
            res.json({ ...(await view(handoff)), ownerNotified });
        } catch (error) {
            failFor(res, error);
        }
    });

    server.post('/api/handoffs/:conversationId/notes', staffBody, async (req: Request, res: Response) => {
        const staff = await member(req, res, READERS);
        if (!staff) return;
        const body = NoteBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        try {
            const note = await deps.handoffs.note(id(req), staff.account.name, body.data.text);
            res.status(201);
            res.json({ note: { at: note.at, agent: note.agent, text: note.text } });
        } catch (error) {
            failFor(res, error);
        }
    });
}
