import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ActivityTypes, type Activity } from 'botbuilder';
import type { Next, Request, RequestHandler, Response, Server } from 'restify';
import { z } from 'zod';
import { sendError } from '../../bot/http/apiErrors';
import { JsonBodyReader, OWNER_BODY_BYTES } from '../../bot/http/JsonBodyReader';
import type { Logger } from '../../bot/logger';
import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import { ConversationEndedError } from '../../bot/webchat/ConversationEndedError';
import { OwnerContact } from '../../bot/tickets/OwnerContact';
import type { WebConversation } from '../../bot/webchat/ConversationLog';
import type { Claims, DirectLineTokens } from './DirectLineTokens';
import { readUpload, UploadRefused } from './UploadReader';
import type { WebConversations } from './WebConversations';

/** tokens/generate and conversations bodies: a user and a profile at most. */
const SMALL_BODY_BYTES = 16 * 1024;

/** An owner id the estate's server may name: its own user id, printable and short. */
const OwnerId = z.string().regex(/^[A-Za-z0-9_.:@-]{1,64}$/, 'letters, digits and _.:@- only, at most 64');

const GenerateBody = z
    .object({
        user: z.object({ id: OwnerId.optional(), name: z.string().max(64).optional() }).optional(),
        /** The owner's profile as the estate knows it: name, building, unit, room, phone. */
        profile: OwnerContact.optional(),
    })
    .optional();

/** What a client may post: messages, events (Web Chat's own, card submissions) and typing; nothing the channel says. */
const POSTABLE = new Set<string>([ActivityTypes.Message, ActivityTypes.Event, ActivityTypes.Typing]);

const PostedActivity = z.object({
    type: z.string(),
    text: z.string().optional(),
    textFormat: z.string().optional(),
    locale: z.string().max(32).optional(),
    name: z.string().max(256).optional(),
    value: z.unknown().optional(),
    channelData: z.object({ clientActivityID: z.string().max(128).optional(), clientTimestamp: z.string().max(64).optional() }).passthrough().optional(),
});

/** The store did not answer: Microsoft's client retries a 503 after Retry-After. */
const RETRY_AFTER_SECONDS = 5;

export interface DirectLineRouteDeps {
    conversations: WebConversations;
    tokens: DirectLineTokens;
    /** Where browsers reach Linli (PUBLIC_BASE_URL), or null for the request's host. */
    publicBaseUrl: string | null;
    /** Origins allowed to call these routes from their own pages (CHAT_ALLOWED_ORIGINS). */
    allowedOrigins: readonly string[];
    /** Signs upload URLs (the page's <img> can send no header). */
    uploadKey: Buffer;
    logger: Logger;
}

type Credential = { kind: 'secret' } | { kind: 'token'; claims: Claims };

/**
 * Direct Line 3.0 under /v3/directline, as botframework-directlinejs calls it: tokens, conversations, activities,
 * uploads. Translating only: the conversations themselves are WebConversations'.
 */
export class DirectLineRoutes {
    constructor(private readonly deps: DirectLineRouteDeps) {}

    register(server: Server): void {
        const small = new JsonBodyReader(SMALL_BODY_BYTES).handler;
        const owner = new JsonBodyReader(OWNER_BODY_BYTES).handler;
        server.pre(this.cors);
        server.post('/v3/directline/tokens/generate', this.authorize, small, this.guard(this.generate));
        server.post('/v3/directline/tokens/refresh', this.authorize, small, this.guard(this.refresh));
        server.post('/v3/directline/conversations', this.authorize, small, this.guard(this.openConversation));
        server.get('/v3/directline/conversations/:id', this.authorize, this.guard(this.reconnect));
        server.post('/v3/directline/conversations/:id/activities', this.authorize, owner, this.guard(this.postActivity));
        server.get('/v3/directline/conversations/:id/activities', this.authorize, this.guard(this.getActivities));
        server.post('/v3/directline/conversations/:id/upload', this.authorize, this.guard(this.upload));
        server.get('/v3/directline/conversations/:id/uploads/:uploadId', this.guard(this.download));
    }

    /** The absolute URL of a conversation's stream, with its own 60-second credential (the host checked by the caller). */
    streamUrl(req: IncomingMessage, conversation: WebConversation, watermark?: string): string {
        const base = this.baseUrl(req) ?? '';
        const { token } = this.deps.tokens.issue('s', conversation.id, conversation.ownerId);
        const query = new URLSearchParams({ t: token, ...(watermark ? { watermark } : {}) });
        return `${base.replace(/^http/, 'ws')}/v3/directline/conversations/${encodeURIComponent(conversation.id)}/stream?${query.toString()}`;
    }

    /** Preflight and CORS headers for the origins allowed; other origins get none (the browser refuses for them). */
    private readonly cors = (req: Request, res: Response, next: Next): void => {
        if (!(req.url ?? '').startsWith('/v3/directline/')) return next();
        const origin = req.headers.origin;
        const allowed = typeof origin === 'string' && this.deps.allowedOrigins.includes(origin);
        if (allowed) {
            res.setHeader('Access-Control-Allow-Origin', origin);
            res.setHeader('Vary', 'Origin');
        }
        if (req.method !== 'OPTIONS') return next();
        if (allowed) {
            res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
            res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent');
            res.setHeader('Access-Control-Max-Age', '600');
        }
        res.status(allowed ? 204 : 403);
        res.end();
        next(false);
    };

    /** 401 without a Bearer; 403 for one that is neither the secret nor a valid token; read before any body. */
    private readonly authorize: RequestHandler = (req: Request, res: Response, next: Next): void => {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
        if (!match?.[1]) {
            if (!req.complete) res.setHeader('Connection', 'close');
            sendError(res, 401, 'unauthorized', 'Authorization: Bearer <secret or token> is required');
            return next(false);
        }
        const bearer = match[1];
        // A token first (nearly every request carries one), so a token costs one HMAC, not two; no secret is a valid token.
        const verdict = this.deps.tokens.verify(bearer, 't');
        if (!verdict.ok && this.deps.tokens.isSecret(bearer)) {
            credentials.set(req, { kind: 'secret' });
            return next();
        }
        if (!verdict.ok) {
            if (!req.complete) res.setHeader('Connection', 'close');
            sendError(res, verdict.status, verdict.status === 403 ? 'forbidden' : 'unauthorized', verdict.reason);
            return next(false);
        }
        const id = req.params?.id as string | undefined;
        if (id !== undefined && verdict.claims.c !== id) {
            if (!req.complete) res.setHeader('Connection', 'close');
            sendError(res, 403, 'forbidden', 'the token is for another conversation');
            return next(false);
        }
        credentials.set(req, { kind: 'token', claims: verdict.claims });
        next();
    };

    private guard(route: (req: Request, res: Response) => Promise<void>): RequestHandler {
        return async (req: Request, res: Response) => {
            try {
                await route(req, res);
            } catch (error) {
                if (error instanceof ConversationEndedError) return sendError(res, 404, 'not_found', 'the conversation has ended');
                if (!(error instanceof StorageUnavailableError)) throw error;
                this.deps.logger.warn({ err: error }, 'direct line: store unavailable');
                res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
                sendError(res, 503, 'store_unavailable', 'the store does not answer; try again shortly');
            }
        };
    }

    private readonly generate = async (req: Request, res: Response): Promise<void> => {
        if (credentials.get(req)?.kind !== 'secret') return sendError(res, 403, 'forbidden', 'tokens are generated with the site secret');
        const body = GenerateBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_request', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const { user, profile } = body.data ?? {};
        const conversation = await this.deps.conversations.create({
            ...(user?.id ? { ownerId: user.id } : {}),
            ...(user?.name ? { ownerName: user.name } : {}),
            profile: { ...(user?.name ? { name: user.name } : {}), ...(profile ?? {}) },
        });
        res.json(this.tokenReply(conversation));
    };

    private readonly refresh = async (req: Request, res: Response): Promise<void> => {
        const credential = credentials.get(req);
        if (credential?.kind !== 'token') return sendError(res, 403, 'forbidden', 'only a token can be refreshed');
        const conversation = await this.deps.conversations.log.get(credential.claims.c);
        if (!conversation) return sendError(res, 404, 'not_found', 'the conversation has ended');
        res.json(this.tokenReply(conversation));
    };

    private readonly openConversation = async (req: Request, res: Response): Promise<void> => {
        const credential = credentials.get(req);
        if (!this.baseUrl(req)) return sendError(res, 400, 'invalid_host', 'the Host header is not a host name');
        const id = credential?.kind === 'token' ? credential.claims.c : (await this.deps.conversations.create()).id;
        const opened = await this.deps.conversations.open(id);
        if (!opened) return sendError(res, 404, 'not_found', 'the conversation has ended');
        res.status(opened.first ? 201 : 200);
        res.json({ ...this.tokenReply(opened.conversation), streamUrl: this.streamUrl(req, opened.conversation) });
    };

    private readonly reconnect = async (req: Request, res: Response): Promise<void> => {
        if (!this.baseUrl(req)) return sendError(res, 400, 'invalid_host', 'the Host header is not a host name');
        // Opens it too, when a reload comes before (or instead of) POST /conversations: the welcome is said once.
        const opened = await this.deps.conversations.open(String(req.params?.id ?? ''));
        if (!opened) return sendError(res, 404, 'not_found', 'no such conversation (or it has ended)');
        const watermark = parseWatermark(req.query?.watermark);
        res.json({ ...this.tokenReply(opened.conversation), streamUrl: this.streamUrl(req, opened.conversation, watermark === undefined ? undefined : String(watermark)) });
    };

    private readonly postActivity = async (req: Request, res: Response): Promise<void> => {
        const parsed = PostedActivity.safeParse(req.body);
        if (!parsed.success) return sendError(res, 400, 'invalid_activity', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
        if (!POSTABLE.has(parsed.data.type)) return sendError(res, 400, 'activity_type_not_allowed', `a client may post message, event or typing, not ${parsed.data.type.slice(0, 32)}`);
        const conversation = await this.deps.conversations.find(String(req.params?.id ?? ''));
        if (!conversation) return sendError(res, 404, 'not_found', 'no such conversation (or it has ended)');
        const id = await this.deps.conversations.post(conversation, clean(parsed.data));
        res.json({ id });
    };

    private readonly getActivities = async (req: Request, res: Response): Promise<void> => {
        const conversation = await this.conversationOf(req, res);
        if (!conversation) return;
        res.json(await this.deps.conversations.log.list(conversation.id, parseWatermark(req.query?.watermark)));
    };

    private readonly upload = async (req: Request, res: Response): Promise<void> => {
        const conversation = await this.conversationOf(req, res);
        if (!conversation) return;
        let upload;
        try {
            upload = await readUpload(req);
        } catch (error) {
            if (!(error instanceof UploadRefused)) throw error;
            if (!req.complete) res.setHeader('Connection', 'close');
            return sendError(res, error.status, error.code, error.message);
        }
        const base = this.baseUrl(req);
        if (!base) return sendError(res, 400, 'invalid_host', 'the Host header is not a host name');
        const attachments = [];
        for (const file of upload.files) {
            const uploadId = randomBytes(12).toString('base64url');
            await this.deps.conversations.log.saveUpload(conversation, { id: uploadId, contentType: file.contentType, name: file.name, data: file.data });
            attachments.push({ contentType: file.contentType, name: file.name, contentUrl: `${base}${this.uploadPath(conversation.id, uploadId)}` });
        }
        const text = typeof upload.activity?.text === 'string' ? upload.activity.text : undefined;
        const id = await this.deps.conversations.post(conversation, {
            type: ActivityTypes.Message,
            ...(text ? { text } : {}),
            attachments,
            ...(upload.activity?.channelData ? { channelData: clean({ type: 'message', channelData: upload.activity.channelData }).channelData } : {}),
        });
        res.json({ id });
    };

    /** Uploads are served to whoever holds their signed URL (the owner's page, agents' transcripts). */
    private readonly download = async (req: Request, res: Response): Promise<void> => {
        const conversationId = String(req.params?.id ?? '');
        const uploadId = String(req.params?.uploadId ?? '');
        const signature = typeof req.query?.sig === 'string' ? req.query.sig : '';
        if (!signature) return sendError(res, 401, 'unauthorized', 'the URL carries no signature');
        const given = Buffer.from(signature);
        const expected = Buffer.from(this.uploadSignature(conversationId, uploadId));
        // Compared in constant time: the signature is the image's only lock.
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) return sendError(res, 403, 'forbidden', 'the signature does not match');
        const upload = await this.deps.conversations.log.getUpload(conversationId, uploadId);
        if (!upload) return sendError(res, 404, 'not_found', 'no such upload (or its conversation has ended)');
        res.setHeader('Content-Type', upload.contentType);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Security-Policy', "default-src 'none'");
        res.setHeader('Cache-Control', 'private, max-age=3600');
        res.sendRaw(200, upload.data);
    };

    private async conversationOf(req: Request, res: Response): Promise<WebConversation | null> {
        const conversation = await this.deps.conversations.log.get(String(req.params?.id ?? ''));
        if (!conversation) sendError(res, 404, 'not_found', 'no such conversation (or it has ended)');
        return conversation;
    }

    private tokenReply(conversation: WebConversation): { conversationId: string; token: string; expires_in: number } {
        const { token, expiresIn } = this.deps.tokens.issue('t', conversation.id, conversation.ownerId);
        return { conversationId: conversation.id, token, expires_in: expiresIn };
    }

    private uploadPath(conversationId: string, uploadId: string): string {
        return `/v3/directline/conversations/${encodeURIComponent(conversationId)}/uploads/${uploadId}?sig=${this.uploadSignature(conversationId, uploadId)}`;
    }

    private uploadSignature(conversationId: string, uploadId: string): string {
        return createHmac('sha256', this.deps.uploadKey).update(`${conversationId}/${uploadId}`).digest('base64url');
    }

    /** PUBLIC_BASE_URL, else the request's own host (when it is one). */
    private baseUrl(req: IncomingMessage): string | null {
        if (this.deps.publicBaseUrl) return this.deps.publicBaseUrl;
        const host = req.headers.host ?? '';
        return /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(host) ? `http://${host}` : null;
    }
}

/** The credential each request came with, read by `authorize` before the route. */
const credentials = new WeakMap<IncomingMessage, Credential>();

function parseWatermark(raw: unknown): number | undefined {
    if (typeof raw !== 'string' || !/^\d{1,12}$/.test(raw)) return undefined;
    return Number(raw);
}

/** The parts of a posted activity Linli keeps: the client's words and its own ids; the rest is the channel's to say. */
function clean(posted: z.infer<typeof PostedActivity>): Partial<Activity> {
    const { clientActivityID, clientTimestamp } = posted.channelData ?? {};
    const channelData = { ...(clientActivityID ? { clientActivityID } : {}), ...(clientTimestamp ? { clientTimestamp } : {}) };
    return {
        type: posted.type,
        ...(posted.text !== undefined ? { text: posted.text } : {}),
        ...(posted.textFormat ? { textFormat: posted.textFormat } : {}),
        ...(posted.locale ? { locale: posted.locale } : {}),
        ...(posted.type !== ActivityTypes.Message && posted.name ? { name: posted.name } : {}),
        ...(posted.value !== undefined ? { value: posted.value } : {}),
        channelData,
    };
}

