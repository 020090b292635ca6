import type { CloudAdapter } from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import type { Linli } from './Linli';
import type { Logger } from './logger';
import { ActivityBody } from './http/ActivityBody';
import { describeIssues, sendError } from './http/apiErrors';
import { StaffAuth } from './http/StaffAuth';
import { registerTicketRoutes } from './http/ticketRoutes';
import { registerHandoffRoutes } from './http/handoffRoutes';
import { registerAgentConsoleRoutes } from './http/agentConsoleRoutes';
import { RateLimiter } from './http/RateLimiter';
import { createHash } from 'node:crypto';

export interface ServerDeps {
    linli: Linli;
    adapter: CloudAdapter;
    logger: Logger;
    /** AGENT_TOKENS: token → staff name. */
    staffTokens: Map<string, string>;
    /** Staff API requests per token (or address) per minute. */
    staffRatePerMinute?: number;
}

/** The staff API (tickets, handoffs, reports, reminders): everything under /api/ but the owners' channels. */
const STAFF_API = /^\/api\/(?!messages(?:[/?]|$)|wechat(?:[/?]|$))/;

const MAX_BODY_BYTES = 256 * 1024;

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

    server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
        if ((err.statusCode ?? 500) >= 500) {
            linli.metrics.errors.inc({ kind: 'http' });
            logger.error({ err, url: req.url }, 'request failed');
        }
        callback();
    });

    server.post(
        '/api/messages',
        (req: Request, res: Response, next: restify.Next) => {
            // The protocol speaks JSON only; anything else is refused before it is parsed.
            if (!req.is('application/json')) {
                sendError(res, 415, 'unsupported_media_type', 'Content-Type must be application/json');
                return next(false);
            }
            return next();
        },
        restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false, rejectUnknown: true }),
        async (req: Request, res: Response) => {
            const parsed = ActivityBody.safeParse(req.body);
            if (!parsed.success) {
                linli.metrics.turns.inc({ channel: 'unknown', outcome: 'rejected' });
                sendError(res, 400, 'invalid_activity', describeIssues(parsed.error));
                return;
            }
            await adapter.process(req, res, (context) => linli.bot.run(context));
        },
    );

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

    // Basic rate limiting on the staff API, keyed by the token's digest (never the token) or else the address.
    const limiter = new RateLimiter(deps.staffRatePerMinute ?? 600);
    server.use((req, res, next) => {
        if (!STAFF_API.test(req.url ?? '')) return next();
        const authorization = req.headers.authorization;
        const key = authorization ? createHash('sha256').update(authorization).digest('hex') : `ip:${req.socket.remoteAddress ?? '?'}`;
        if (limiter.allow(key)) return next();
        res.setHeader('Retry-After', String(limiter.retryAfterSeconds()));
        sendError(res, 429, 'too_many_requests', 'too many requests; try again shortly');
        return next(false);
    });

    const auth = new StaffAuth(deps.staffTokens);
    registerTicketRoutes(server, {
        tickets: linli.tickets,
        reports: linli.reports,
        auth,
        logger,
        reminders: linli.paymentReminders(adapter),
        onUpdated: (ticket, patch, staff) => linli.handoffs.recordTicketChange(ticket, patch, staff),
    });
    registerAgentConsoleRoutes(server, auth);
    registerHandoffRoutes(server, { handoffs: linli.handoffs, feed: linli.feed, suggestions: linli.suggestions, auth, logger, clock: linli.clock });

    return server;
}
