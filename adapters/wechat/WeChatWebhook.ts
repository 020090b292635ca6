import { randomBytes, randomUUID } from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import { sendError } from '../../bot/http/apiErrors';
import type { Logger } from '../../bot/logger';
import type { Phrasebook, PhraseKey } from '../../bot/Phrasebook';
import type { ExpiringKeys } from '../../bot/storage/ExpiringKeys';
import type { CustomerServiceWindow, OwnerAction } from './CustomerServiceWindow';
import { WECHAT_CHANNEL_ID, conversationIdOf, type TurnAnswer, type WeChatAdapter } from './WeChatAdapter';
import { WeChatCrypto, WeChatCryptoError, signaturesEqual, wechatSignature } from './WeChatCrypto';
import type { WeChatMenu } from './WeChatMenu';
import { TEXT_LIMIT_BYTES, choiceIndex, packMessages } from './WeChatText';
import { WeChatXml, WeChatXmlError, type WeChatFields } from './WeChatXml';

/** A request signed longer ago (or further ahead) than this is refused: a replayed capture, not WeChat. */
export const MAX_CLOCK_SKEW_S = 300;
/** WeChat retries a message three times within about 15 s; a marker outlives them all. */
const RETRY_MARKER_MS = 60_000;
/** Numbered choices are understood for a day after they were offered. */
const CHOICES_MS = 24 * 3600_000;
/** How often a retry in passive-only mode looks for the first attempt's answer. */
const ANSWER_POLL_MS = 50;

export interface WeChatWebhookDeps {
    token: string;
    appId: string;
    encodingAesKey: string | undefined;
    budgetMs: number;
    adapter: WeChatAdapter;
    keys: ExpiringKeys;
    window: CustomerServiceWindow;
    menu: WeChatMenu;
    phrasebook: Phrasebook;
    logger: Logger;
    clock: () => Date;
    /** The bot's turn. */
    logic: (context: TurnContext) => Promise<void>;
    /** Keeps a photo on the owner's open ticket; the ticket's id, or null when the owner has none open. */
    keepPhoto: (ownerId: string, conversationId: string, photo: { mediaId: string; picUrl: string }) => Promise<string | null>;
    /** The owner unfollowed: an agent holding the conversation is told. */
    ownerLeft: (conversationId: string) => Promise<void>;
}

/** One POST as it arrived: who wrote to which account, and how the reply must be wrapped. */
interface Incoming {
    fields: WeChatFields;
    openid: string;
    aes: boolean;
}

/** What one message or event asks of Linli. */
type Work =
    | { kind: 'turn'; activity: Partial<Activity>; opens: OwnerAction }
    | { kind: 'say'; phrase: PhraseKey; opens: OwnerAction }
    | { kind: 'photo'; mediaId: string; picUrl: string }
    | { kind: 'unfollow' }
    | { kind: 'ignore' };

/**
 * The Official Account's server URL (`/api/wechat`): GET verification, and POSTs in plain, compatible or safe mode
 * (the mode follows each request). Every message is processed once however often WeChat retries it, and answered
 * inside WeChat's 5-second window: passively when the turn is ready within the budget, otherwise `success` at once
 * and the answer as customer-service messages.
 */

/** Decodes strictly: null for bytes that are not UTF-8. */
const UTF8 = {
    decoder: new TextDecoder('utf-8', { fatal: true }),
    decode(bytes: Buffer): string | null {
        try {
            return this.decoder.decode(bytes);
        } catch {
            return null;
        }
    },
};

export class WeChatWebhook {
    private readonly crypto: WeChatCrypto | null;
    private readonly xml = new WeChatXml();

    constructor(private readonly deps: WeChatWebhookDeps) {
        this.crypto = deps.encodingAesKey ? new WeChatCrypto(deps.encodingAesKey, deps.appId) : null;
    }

    /** GET: WeChat's check of the server URL, `echostr` back as it came when the signature holds. */
    readonly verify = async (req: Request, res: Response): Promise<void> => {
        const q = query(req);
        if (!this.signed(q.signature, q.timestamp, q.nonce)) return sendError(res, 401, 'bad_signature', 'signature does not match token, timestamp and nonce');
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.sendRaw(200, q.echostr ?? '');
    };

    /** POST: one message or event. */
    readonly receive = async (req: Request, res: Response): Promise<void> => {
        const incoming = this.open(req, res);
        if (!incoming) return;
        const work = this.workFor(incoming.fields);
        if (work.kind === 'ignore') return this.plain(res, 'success');
        const key = retryKey(incoming.fields, incoming.openid);
        let first: boolean;
        try {
            first = await this.deps.keys.claim(`wechat:seen:${key}`, 'running', RETRY_MARKER_MS);
        } catch (error) {
            this.deps.logger.error({ err: error }, 'wechat: the store is down; the owner is asked to send again');
            await this.passive(res, incoming, this.deps.phrasebook.say('storage_down'));
            return;
        }
        if (!first) return this.retried(res, incoming, key);
        await this.process(res, incoming, key, work);
    };

    /** Checks the signature, time and (in aes mode) the appId, then reads the message; answers 4xx and null if not. */
    private open(req: Request, res: Response): Incoming | null {
        const q = query(req);
        const timestamp = Number(q.timestamp);
        const now = this.deps.clock().getTime() / 1000;
        const aes = q.encrypt_type === 'aes';
        if (aes && !this.crypto) {
            sendError(res, 400, 'aes_not_configured', 'encrypt_type=aes but WECHAT_ENCODING_AES_KEY is not set');
            return null;
        }
        if (!aes && !this.signed(q.signature, q.timestamp, q.nonce)) {
            sendError(res, 401, 'bad_signature', 'signature does not match token, timestamp and nonce');
            return null;
        }
        if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > MAX_CLOCK_SKEW_S) {
            sendError(res, 401, 'stale_timestamp', `timestamp is more than ${MAX_CLOCK_SKEW_S} s from now`);
            return null;
        }
        // WeChat sends UTF-8 only: other bytes would be read as replacement characters and answered as some message.
        const body = req.body instanceof Buffer ? UTF8.decode(req.body) : '';
        if (body === null) {
            sendError(res, 400, 'invalid_xml', 'the body is not UTF-8, which is all WeChat sends');
            return null;
        }
        try {
            let fields = this.xml.parse(body);
            if (aes) {
                const encrypted = fields.Encrypt;
                if (!encrypted) {
                    sendError(res, 400, 'invalid_message', 'encrypt_type=aes but the body has no Encrypt');
                    return null;
                }
                const expected = wechatSignature(this.deps.token, q.timestamp ?? '', q.nonce ?? '', encrypted);
                if (!q.msg_signature || !signaturesEqual(q.msg_signature, expected)) {
                    sendError(res, 401, 'bad_signature', 'msg_signature does not match token, timestamp, nonce and Encrypt');
                    return null;
                }
                fields = this.xml.parse((this.crypto as WeChatCrypto).decrypt(encrypted));
            }
            const openid = fields.FromUserName;
            if (!openid || !fields.MsgType || !fields.ToUserName) {
                sendError(res, 400, 'invalid_message', 'the message needs ToUserName, FromUserName and MsgType');
                return null;
            }
            return { fields, openid, aes };
        } catch (error) {
            if (error instanceof WeChatCryptoError) sendError(res, 401, 'bad_encryption', error.message);
            else if (error instanceof WeChatXmlError) sendError(res, 400, 'invalid_xml', error.message);
            else throw error;
            return null;
        }
    }

    private signed(signature: string | undefined, timestamp: string | undefined, nonce: string | undefined): boolean {
        if (!signature || !timestamp || !nonce) return false;
        return signaturesEqual(signature, wechatSignature(this.deps.token, timestamp, nonce));
    }

    /** Translates a message or event into the work it asks for. */
    private workFor(fields: WeChatFields): Work {
        const type = (fields.MsgType ?? '').toLowerCase();
        const text = (words: string, opens: OwnerAction): Work => ({ kind: 'turn', activity: this.activity(fields, words), opens });
        switch (type) {
            case 'text':
                return text(fields.Content ?? '', 'message');
            case 'voice':
                return fields.Recognition?.trim() ? text(fields.Recognition, 'message') : { kind: 'say', phrase: 'wechat_voice_unrecognised', opens: 'message' };
            case 'image':
                return { kind: 'photo', mediaId: fields.MediaId ?? '', picUrl: fields.PicUrl ?? '' };
            case 'location': {
                // The label is the owner's words: a flow asking where takes it; otherwise Linli offers it as the place.
                const label = fields.Label?.trim() || [fields.Location_X, fields.Location_Y].filter(Boolean).join(',');
                const activity = this.activity(fields, label);
                return { kind: 'turn', activity: { ...activity, channelData: { ...(activity.channelData as object), sharedLocation: { label } } }, opens: 'message' };
            }
            case 'event':
                return this.eventWork(fields);
            default:
                // video, shortvideo, link, file, and whatever WeChat adds
                return { kind: 'say', phrase: 'wechat_unsupported', opens: 'message' };
        }
    }

    private eventWork(fields: WeChatFields): Work {
        const event = (fields.Event ?? '').toLowerCase();
        if (event === 'subscribe') {
            return {
                kind: 'turn',
                opens: 'action',
                activity: { ...this.activity(fields, ''), type: 'conversationUpdate', text: undefined, membersAdded: [{ id: fields.FromUserName ?? '', name: '' }] },
            };
        }
        if (event === 'unsubscribe') return { kind: 'unfollow' };
        if (event === 'click') {
            const words = this.deps.menu.wordsFor(fields.EventKey ?? '');
            return words ? { kind: 'turn', activity: this.activity(fields, words), opens: 'action' } : { kind: 'ignore' };
        }
        // VIEW, periodic LOCATION, SCAN by a follower, TEMPLATESENDJOBFINISH …: `success`, no marker, nothing said.
        return { kind: 'ignore' };
    }

    private activity(fields: WeChatFields, text: string): Partial<Activity> {
        const openid = fields.FromUserName ?? '';
        const created = Number(fields.CreateTime);
        return {
            type: 'message',
            id: fields.MsgId ?? randomUUID(),
            channelId: WECHAT_CHANNEL_ID,
            conversation: { id: conversationIdOf(openid), isGroup: false, conversationType: 'personal', name: '' },
            from: { id: openid, name: '', role: 'user' },
            recipient: { id: fields.ToUserName ?? '', name: '', role: 'bot' },
            text,
            locale: 'zh-CN',
            timestamp: Number.isFinite(created) ? new Date(created * 1000) : this.deps.clock(),
            channelData: { wechat: { msgType: fields.MsgType } },
        };
    }

    /** The first delivery of a message: processed once, answered inside the window. */
    private async process(res: Response, incoming: Incoming, key: string, work: Exclude<Work, { kind: 'ignore' }>): Promise<void> {
        const { openid } = incoming;
        const conversationId = conversationIdOf(openid);
        try {
            if (work.kind === 'unfollow') {
                await this.deps.window.markUnreachable(openid, 'the owner unfollowed the account');
                await this.deps.ownerLeft(conversationId).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'wechat: could not tell the agent the owner unfollowed'));
                await this.done(key, { texts: [], choices: [] });
                return this.plain(res, 'success');
            }
            await this.deps.window.opened(openid, work.kind === 'photo' ? 'message' : work.opens);
            if (work.kind === 'say') return this.answer(res, incoming, key, Promise.resolve({ texts: [this.deps.phrasebook.say(work.phrase)], choices: [] }));
            if (work.kind === 'photo') {
                const ticketId = await this.deps.keepPhoto(openid, conversationId, { mediaId: work.mediaId, picUrl: work.picUrl });
                const line = ticketId ? this.deps.phrasebook.say('wechat_image_received', 'default', { ticketId }) : this.deps.phrasebook.say('wechat_image_no_ticket');
                return this.answer(res, incoming, key, Promise.resolve({ texts: [line], choices: [] }));
            }
            const activity = await this.withChoice(openid, work.activity);
            return this.answer(res, incoming, key, this.deps.adapter.runTurn(activity, this.deps.logic));
        } catch (error) {
            this.deps.logger.error({ err: error }, 'wechat: could not process the message');
            await this.passive(res, incoming, this.deps.phrasebook.say('storage_down'));
        }
    }

    /** "1", "2" … after numbered choices: the choice's words are the owner's message. */
    private async withChoice(openid: string, activity: Partial<Activity>): Promise<Partial<Activity>> {
        if (activity.type !== 'message' || !activity.text) return activity;
        const raw = await this.deps.keys.get(`wechat:choices:${openid}`);
        const choices = raw ? (JSON.parse(raw) as string[]) : [];
        const index = choiceIndex(activity.text, choices.length);
        return index === null ? activity : { ...activity, text: choices[index] };
    }

    /** Answers passively if the turn is ready within the budget; otherwise `success` now and the rest later. */
    private async answer(res: Response, incoming: Incoming, key: string, turn: Promise<TurnAnswer>): Promise<void> {
        const settled = turn.then(
            (answer) => answer,
            (error: unknown) => {
                this.deps.logger.error({ err: error }, 'wechat: the turn failed');
                return { texts: [this.deps.phrasebook.say('turn_error')], choices: [] } satisfies TurnAnswer;
            },
        );
        const closed = connectionClosed(res);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.deps.budgetMs)));
        const ready = await Promise.race([settled, late, closed.then(() => null)]);
        clearTimeout(timer);
        const passiveOnly = await this.deps.adapter.passiveOnly().catch(() => false);

        if (ready) {
            await this.done(key, ready, incoming.openid);
            if (ready.texts.length === 0) return this.plain(res, 'success');
            const [first, ...rest] = passiveOnly ? [wholeAnswer(ready.texts)] : ready.texts;
            if (!(await this.deps.keys.claim(`wechat:delivered:${key}`, 'passive', RETRY_MARKER_MS))) return this.plain(res, 'success');
            if (await this.passive(res, incoming, first ?? '')) {
                if (rest.length > 0) void this.customerService(incoming.openid, rest);
                return;
            }
            // WeChat had gone: nothing reached the owner. Passive-only, WeChat's retry takes the answer (the claim is
            // given up for it); otherwise all of it goes as customer-service messages.
            if (passiveOnly) await this.deps.keys.delete(`wechat:delivered:${key}`).catch(() => undefined);
            else void this.customerService(incoming.openid, ready.texts);
            return;
        }
        if (passiveOnly) {
            // No way to send later: leave the request unanswered so WeChat retries; the retry takes the answer.
            void settled.then((answer) => this.done(key, answer, incoming.openid));
            return this.abandon(res);
        }
        if (!closed.done) this.plain(res, 'success');
        const answer = await settled;
        await this.done(key, answer, incoming.openid);
        if (answer.texts.length === 0) return;
        if (await this.deps.keys.claim(`wechat:delivered:${key}`, 'customer-service', RETRY_MARKER_MS).catch(() => false)) {
            await this.customerService(incoming.openid, answer.texts);
        }
    }

    /** A delivery WeChat repeated: the answer passively if it is ready and nobody gave it yet, else `success` at once. */
    private async retried(res: Response, incoming: Incoming, key: string): Promise<void> {
        const passiveOnly = await this.deps.adapter.passiveOnly().catch(() => false);
        // In passive-only mode the retry is the only way the answer can go: it waits for it, within the budget.
        const deadline = Date.now() + (passiveOnly ? this.deps.budgetMs : 0);
        for (;;) {
            const raw = await this.deps.keys.get(`wechat:answer:${key}`).catch(() => null);
            if (raw) {
                const answer = JSON.parse(raw) as TurnAnswer;
                if (answer.texts.length === 0 || !(await this.deps.keys.claim(`wechat:delivered:${key}`, 'retry', RETRY_MARKER_MS).catch(() => false))) {
                    return this.plain(res, 'success');
                }
                await this.passive(res, incoming, wholeAnswer(answer.texts));
                return;
            }
            if (Date.now() >= deadline) break;
            await new Promise((resolve) => setTimeout(resolve, ANSWER_POLL_MS));
        }
        return passiveOnly ? this.abandon(res) : this.plain(res, 'success');
    }

    /** The turn's answer, for retries; and the choices it offered, for the owner's next "1" or "2". */
    private async done(key: string, answer: TurnAnswer, openid?: string): Promise<void> {
        await this.deps.keys.set(`wechat:answer:${key}`, JSON.stringify(answer), RETRY_MARKER_MS).catch(() => undefined);
        if (openid === undefined) return;
        const choicesKey = `wechat:choices:${openid}`;
        const kept = answer.choices.length > 0 ? this.deps.keys.set(choicesKey, JSON.stringify(answer.choices), CHOICES_MS) : this.deps.keys.delete(choicesKey);
        await kept.catch(() => undefined);
    }

    private async customerService(openid: string, texts: string[]): Promise<void> {
        try {
            await this.deps.adapter.deliver(conversationIdOf(openid), texts);
        } catch (error) {
            this.deps.logger.warn({ err: error }, 'wechat: customer-service message not sent');
        }
    }

    /** A passive text reply (encrypted in aes mode); false when WeChat had already closed the connection. */
    private async passive(res: Response, incoming: Incoming, text: string): Promise<boolean> {
        const { fields, aes } = incoming;
        const now = Math.floor(this.deps.clock().getTime() / 1000);
        let body = this.xml.build({ ToUserName: incoming.openid, FromUserName: fields.ToUserName ?? '', CreateTime: now, MsgType: 'text', Content: text });
        if (aes && this.crypto) {
            const encrypted = this.crypto.encrypt(body);
            const nonce = randomBytes(8).readUInt32BE(0).toString();
            const timestamp = String(now);
            body = this.xml.build({ Encrypt: encrypted, MsgSignature: wechatSignature(this.deps.token, timestamp, nonce, encrypted), TimeStamp: now, Nonce: nonce });
        }
        return write(res, 'application/xml; charset=utf-8', body);
    }

    private plain(res: Response, text: string): void {
        void write(res, 'text/plain; charset=utf-8', text);
    }

    /** Closes the connection without an answer, as WeChat sees a timeout: it will retry. */
    private abandon(res: Response): void {
        res.socket?.destroy();
    }
}

function query(req: Request): Record<string, string | undefined> {
    const raw = (req.query ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

/** Messages carry MsgId; events do not, and are told apart by owner and CreateTime (as WeChat's docs advise). */
function retryKey(fields: WeChatFields, openid: string): string {
    return fields.MsgId ? `msg:${fields.MsgId}` : `event:${openid}:${fields.CreateTime ?? ''}`;
}

/** In one passive reply, everything the turn said (cut at WeChat's limit if it must be). */
function wholeAnswer(texts: string[]): string {
    return packMessages([texts.join('\n\n')], TEXT_LIMIT_BYTES)[0] ?? '';
}

/** Resolves when the client goes away before the answer was written; `done` says so synchronously. */
function connectionClosed(res: Response): Promise<void> & { readonly done: boolean } {
    const state = { done: false };
    const promise = new Promise<void>((resolve) => {
        const onClose = () => {
            if (!res.writableFinished) {
                state.done = true;
                resolve();
            }
        };
        if (res.socket?.destroyed) onClose();
        res.once('close', onClose);
    });
    return Object.defineProperty(promise, 'done', { get: () => state.done }) as Promise<void> & { readonly done: boolean };
}

/** Writes a whole answer; true once it was handed to the connection, false if the connection had closed. */
function write(res: Response, contentType: string, body: string): Promise<boolean> {
    if (res.writableEnded || res.socket?.destroyed || res.destroyed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
        res.once('finish', () => resolve(true));
        res.once('close', () => resolve(res.writableFinished));
        res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
        res.end(body);
    });
}
