import type { CloudAdapter } from 'botbuilder';
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import type { Linli } from './Linli';
import type { Logger } from './logger';
import { ActivityBody } from './http/ActivityBody';
import { describeIssues, sendError } from './http/apiErrors';
import { StaffAuth } from './http/StaffAuth';
import { registerTicketRoutes } from './http/ticketRoutes';
import { registerHandoffRoutes } from './http/handoffRoutes';
import { registerAgentConsoleRoutes } from './http/agentConsoleRoutes';
import { registerRehearsalRoutes } from './http/rehearsalRoutes';
import { registerOwnerHistoryRoutes } from './http/ownerHistoryRoutes';
import { registerReportRoutes } from './http/reportRoutes';
import { registerStaffRoutes } from './http/staffRoutes';
import { ClientAddress } from './http/ClientAddress';
import { JsonBodyReader, OWNER_BODY_BYTES } from './http/JsonBodyReader';
import { StaffGate } from './http/StaffGate';
import { RawBodyReader } from './http/RawBodyReader';
import type { WebhookChannel } from './channels/WebhookChannel';
import { StorageUnavailableError } from './storage/StorageUnavailableError';
import type { Config } from './config';
import { mountWebChat, type WebChatOptions } from './composition/WebChat';

/** Redis reconnects within ~2 s (its retry strategy); a few seconds is an honest wait before trying again. */
const STORE_RETRY_AFTER_SECONDS = 5;

export interface ServerDeps {
    linli: Linli;
    adapter: CloudAdapter;
    logger: Logger;
    /** Staff API requests per token (or address) per minute. */
    staffRatePerMinute?: number;
    /** TRUST_PROXY: the rate limit reads the client's address from X-Forwarded-For. */
    trustProxy?: boolean;
    /** The WeChat Official Account channel (/api/wechat), when configured. */
    wechat?: WebhookChannel;
    /** With the config, the web channel is mounted (Direct Line and /chat/token), or its absence said. */
    config?: Config;
    webChat?: WebChatOptions;
}

/** WeChat's messages are a few hundred bytes of XML; 64 KiB is far beyond any of them. */
const WECHAT_BODY_BYTES = 64 * 1024;
const keepRawBody = (body: Buffer, req: Request, _res: Response, next: Next): void => {
    req.body = body;
    next();
};

/** The staff API (tickets, handoffs, reports, reminders): everything under /api/ but the owners' channels. */
const STAFF_API = /^\/api\/(?!messages(?:[/?]|$)|wechat(?:[/?]|$))/;

/** Reads how long the store takes to answer; bounded so /readyz never hangs. */
async function storeAnswers(linli: Linli, timeoutMs: number): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
        await Promise.race([
            linli.storage.ping(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
        ]);
        return null;
    } catch (error) {
        return error instanceof Error ? error.message : String(error);
    } finally {
        clearTimeout(timer);
    }
}

/**
 * Builds the HTTP server: the Bot Framework endpoint and the operational routes. Tests pass their own deps and get a
 * server that is not yet listening.
 */
export function makeServer(deps: ServerDeps, server: Server = restify.createServer({ name: 'linli', handleUncaughtExceptions: false })): Server {
    const { linli, adapter, logger } = deps;
    server.use(restify.plugins.queryParser({ mapParams: false }));

    server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
        // A store that does not answer is the contract's 503 with Retry-After on every route, not a 500: the client
        // may try again, and nothing is wrong with the request.
        if (err instanceof StorageUnavailableError && !res.headersSent) {
            logger.warn({ err, path: req.getPath() }, 'store unavailable');
            res.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
            sendError(res, 503, 'store_unavailable', 'the store does not answer; try again shortly');
            return callback();
        }
        if ((err.statusCode ?? 500) >= 500) {
            linli.metrics.errors.inc({ kind: 'http' });
            logger.error({ err, path: req.getPath() }, 'request failed');
        }
        callback();
    });

    server.post(
        '/api/messages',
        // The protocol speaks JSON only; anything else is refused before it is parsed.
        new JsonBodyReader(OWNER_BODY_BYTES).handler,
        async (req: Request, res: Response) => {
            const parsed = ActivityBody.safeParse(req.body);
            if (!parsed.success) {
                linli.metrics.turns.inc({ channel: 'unknown', outcome: 'rejected' });
                sendError(res, 400, 'invalid_activity', describeIssues(parsed.error));
                return;
            }
            // A channel Linli serves itself (web chat, WeChat) is spoken only there, where the owner's id is the token's or
            // the signed openid: on this open endpoint anyone could claim such an owner's id and read their tickets.
            if (linli.ownerChannels.servesItself(parsed.data.channelId)) {
                linli.metrics.turns.inc({ channel: 'unknown', outcome: 'rejected' });
                sendError(res, 400, 'channel_served_here', `channel ${parsed.data.channelId} is served by Linli's own endpoint for it (/v3/directline, /api/wechat), not here`);
                return;
            }
            // Before the adapter: nothing is sent to (nor waited on) an address the client chose.
            const refused = parsed.data.serviceUrl ? linli.serviceUrls.refusal(parsed.data.serviceUrl) : null;
            if (refused) {
                linli.metrics.turns.inc({ channel: 'unknown', outcome: 'rejected' });
                sendError(res, 400, 'service_url_not_allowed', refused);
                return;
            }
            await adapter.process(req, res, (context) => linli.bot.run(context));
        },
    );

    if (deps.wechat) {
        server.get('/api/wechat', deps.wechat.verify);
        server.post('/api/wechat', new RawBodyReader(WECHAT_BODY_BYTES, ['text/xml', 'application/xml'], keepRawBody).handler, deps.wechat.receive);
    }

    server.get('/healthz', async (_req: Request, res: Response) => {
        res.json({ status: 'ok' });
    });

    server.get('/readyz', async (_req: Request, res: Response) => {
        // Agents' consoles on this instance hear other instances' events only while the feed is subscribed.
        const failure = (await storeAnswers(linli, 1000)) ?? (linli.feed.subscribed ? null : 'handoff feed not subscribed');
        res.status(failure ? 503 : 200);
        res.json(failure ? { status: 'unavailable', store: linli.storage.kind, reason: failure } : { status: 'ready', store: linli.storage.kind });
    });

    server.get('/metrics', async (_req: Request, res: Response) => {
        const body = await linli.metrics.registry.metrics();
        res.setHeader('Content-Type', linli.metrics.registry.contentType);
        res.sendRaw(200, body);
    });

    // The staff API: rate limit and token checked from the headers, before any route reads a body.
    const auth = new StaffAuth(linli.staff);
    const gate = new StaffGate(auth, new ClientAddress(deps.trustProxy ?? false), deps.staffRatePerMinute ?? 600);
    server.use((req, res, next) => (STAFF_API.test(req.url ?? '') ? gate.handler(req, res, next) : next()));

    registerTicketRoutes(server, {
        tickets: linli.tickets,
        auth,
        logger,
        reminders: linli.paymentReminders(),
        onUpdated: (ticket, patch, staff) => linli.handoffs.recordTicketChange(ticket, patch, staff),
        conversation: (conversationId) => linli.handoffs.get(conversationId),
        onCreated: (ticket, staff) => linli.handoffs.ticketOpened(ticket, staff),
    });
    registerAgentConsoleRoutes(server, { auth, handoffs: linli.handoffs, suggestions: linli.suggestions, desk: linli.desk });
    registerReportRoutes(server, { reports: linli.reports, supervisor: linli.supervisor, auth });
    registerOwnerHistoryRoutes(server, { auth, outcomes: linli.outcomeStore });
    registerStaffRoutes(server, { auth, handoffs: linli.handoffs, logger, onAvailable: () => linli.offers.kick() });
    registerRehearsalRoutes(server, { store: linli.rehearsals, auth, logger, clock: linli.clock });
    registerHandoffRoutes(server, {
        handoffs: linli.handoffs,
        feed: linli.feed,
        suggestions: linli.suggestions,
        auth,
        logger,
        clock: linli.clock,
        words: linli.handoffWords,
        heartbeatMs: linli.staffHeartbeatMs,
        onAgentConnected: () => linli.offers.kick(),
        ticket: (id) => linli.tickets.get(id),
        channelStatus: (h) => linli.ownerChannels.status(h.channelId, h.conversationId),
    });
    if (deps.config) mountWebChat(server, linli, deps.config, logger, deps.webChat);

    return server;
}
