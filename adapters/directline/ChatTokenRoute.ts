import { randomBytes } from 'node:crypto';
import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import { sendError } from '../../bot/http/apiErrors';
import type { ClientAddress } from '../../bot/http/ClientAddress';
import { JsonBodyReader } from '../../bot/http/JsonBodyReader';
import type { RateLimiter } from '../../bot/http/RateLimiter';
import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import type { DirectLineTokens } from './DirectLineTokens';
import { resumeKeyHash, resumeKeyMatches, type WebConversations } from './WebConversations';

/** The page's resume key: sent only to /chat (the page and its token route), never readable by scripts. */
export const RESUME_COOKIE = 'linli_chat_resume';

const Body = z.object({ conversationId: z.string().min(1).max(64).optional() }).optional();

export interface ChatTokenDeps {
    conversations: WebConversations;
    tokens: DirectLineTokens;
    limiter: RateLimiter;
    addresses: ClientAddress;
    /** How long the cookie lives: as long as the conversation may. */
    cookieSeconds: number;
    /** Secure cookies when browsers reach Linli over https. */
    secure: boolean;
}

/**
 * `POST /chat/token {conversationId?}`: the owner page's own Direct Line token. Without a conversation id, a new
 * conversation (and owner) with a resume key set in an HttpOnly, SameSite=Strict cookie; with one, a fresh token for
 * it, if the cookie holds its key (403 otherwise). Rate-limited per address (429).
 */
export function registerChatTokenRoute(server: Server, deps: ChatTokenDeps): void {
    server.post(
        '/chat/token',
        (req: Request, res: Response, next: Next) => {
            if (deps.limiter.allow(deps.addresses.of(req))) return next();
            res.setHeader('Retry-After', String(deps.limiter.retryAfterSeconds()));
            if (!req.complete) res.setHeader('Connection', 'close');
            sendError(res, 429, 'too_many_requests', 'too many chat tokens from this address; try again shortly');
            next(false);
        },
        new JsonBodyReader(1024).handler,
        async (req: Request, res: Response) => {
            try {
                await answer(req, res, deps);
            } catch (error) {
                if (!(error instanceof StorageUnavailableError)) throw error;
                res.setHeader('Retry-After', '5');
                sendError(res, 503, 'store_unavailable', 'the store does not answer; try again shortly');
            }
        },
    );
}

async function answer(req: Request, res: Response, deps: ChatTokenDeps): Promise<void> {
    const body = Body.safeParse(req.body);
    if (!body.success) return sendError(res, 400, 'invalid_request', 'the body is {"conversationId"?: string}');
    const requested = body.data?.conversationId;
    if (requested) {
        const conversation = await deps.conversations.log.get(requested);
        if (!conversation) return sendError(res, 404, 'not_found', 'the conversation has ended; start a new one');
        const key = cookie(req, RESUME_COOKIE);
        if (!key || !resumeKeyMatches(key, conversation)) return sendError(res, 403, 'forbidden', 'this browser did not start that conversation');
        const { token, expiresIn } = deps.tokens.issue('t', conversation.id, conversation.ownerId);
        res.setHeader('Cache-Control', 'no-store');
        res.json({ conversationId: conversation.id, token, expires_in: expiresIn });
        return;
    }
    const key = randomBytes(32).toString('base64url');
    const conversation = await deps.conversations.create({ resumeKeyHash: resumeKeyHash(key) });
    const { token, expiresIn } = deps.tokens.issue('t', conversation.id, conversation.ownerId);
    res.setHeader('Set-Cookie', `${RESUME_COOKIE}=${key}; Path=/chat; Max-Age=${deps.cookieSeconds}; HttpOnly; SameSite=Strict${deps.secure ? '; Secure' : ''}`);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ conversationId: conversation.id, token, expires_in: expiresIn });
}

function cookie(req: Request, name: string): string | undefined {
    for (const part of String(req.headers.cookie ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
    }
    return undefined;
}
