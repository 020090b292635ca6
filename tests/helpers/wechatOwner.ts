import { randomBytes } from 'node:crypto';
import { WeChatCrypto, wechatSignature } from '../../adapters/wechat/WeChatCrypto';
import { WeChatXml } from '../../adapters/wechat/WeChatXml';

export type WeChatMode = 'plain' | 'compatible' | 'safe';

export interface WeChatAccount {
    url: string;
    token: string;
    appId: string;
    aesKey: string;
    /** The account's own id (ToUserName, gh_…). */
    account?: string;
}

export interface WeChatAnswer {
    status: number;
    body: string;
    /** The passive reply's fields (decrypted in aes mode); null for `success`, an empty body or an error. */
    reply: Record<string, string> | null;
    ms: number;
}

export interface PostOptions {
    mode?: WeChatMode;
    /** Seconds since the epoch; now by default. */
    timestamp?: number;
    nonce?: string;
    /** Signs with this token instead of the account's (a forgery). */
    signWith?: string;
    /** Encrypts for this appId instead of the account's. */
    encryptFor?: string;
    signal?: AbortSignal;
}

const xml = new WeChatXml();
let counter = 0;

/** A new MsgId, unique across test runs (WeChat's are 64-bit numbers). */
export function newMsgId(): string {
    counter += 1;
    return `${Date.now()}${String(counter).padStart(4, '0')}`;
}

/** An owner's message in WeChat's XML. */
export function message(openid: string, fields: Record<string, string | number>, account = 'gh_linli_test'): Record<string, string | number> {
    return { ToUserName: account, FromUserName: openid, CreateTime: Math.floor(Date.now() / 1000), ...fields };
}

export function textMessage(openid: string, content: string, msgId = newMsgId()): Record<string, string | number> {
    return message(openid, { MsgType: 'text', Content: content, MsgId: msgId });
}

/** POSTs what WeChat would send to the server URL, signed (and encrypted) as the mode asks, and reads the answer. */
export async function postToLinli(account: WeChatAccount, fields: Record<string, string | number>, options: PostOptions = {}): Promise<WeChatAnswer> {
    const mode = options.mode ?? 'plain';
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE(0));
    const token = options.signWith ?? account.token;
    const plainXml = xml.build(fields);
    const query = new URLSearchParams({ signature: wechatSignature(token, timestamp, nonce), timestamp, nonce, openid: String(fields.FromUserName ?? '') });
    let body = plainXml;
    if (mode !== 'plain') {
        const encrypted = new WeChatCrypto(account.aesKey, options.encryptFor ?? account.appId).encrypt(plainXml);
        query.set('encrypt_type', 'aes');
        query.set('msg_signature', wechatSignature(token, timestamp, nonce, encrypted));
        const outer: Record<string, string | number> = mode === 'compatible' ? { ...fields, Encrypt: encrypted } : { ToUserName: String(fields.ToUserName ?? ''), Encrypt: encrypted };
        body = xml.build(outer);
    }
    return postRaw(account, `?${query.toString()}`, body, options.signal);
}

/** POSTs a body as it is, with the given query string. */
export async function postRaw(account: WeChatAccount, search: string, body: string | Buffer, signal?: AbortSignal, contentType = 'text/xml'): Promise<WeChatAnswer> {
    const started = Date.now();
    const res = await fetch(`${account.url}/api/wechat${search}`, { method: 'POST', headers: { 'content-type': contentType }, body, ...(signal ? { signal } : {}) });
    const text = await res.text();
    return { status: res.status, body: text, reply: readReply(account, text), ms: Date.now() - started };
}

/** A plain query string signed for now (for hand-made bodies). */
export function signedQuery(account: WeChatAccount, timestamp = Math.floor(Date.now() / 1000)): string {
    const nonce = String(randomBytes(4).readUInt32BE(0));
    return `?${new URLSearchParams({ signature: wechatSignature(account.token, String(timestamp), nonce), timestamp: String(timestamp), nonce }).toString()}`;
}

/** The passive reply's fields; in safe mode its MsgSignature is checked and its Encrypt decrypted. */
export function readReply(account: WeChatAccount, body: string): Record<string, string> | null {
    if (!body.startsWith('<xml>')) return null;
    const outer = xml.parse(body);
    if (!outer.Encrypt) return outer;
    const expected = wechatSignature(account.token, outer.TimeStamp ?? '', outer.Nonce ?? '', outer.Encrypt);
    if (outer.MsgSignature !== expected) throw new Error('the encrypted reply carries a wrong MsgSignature');
    return xml.parse(new WeChatCrypto(account.aesKey, account.appId).decrypt(outer.Encrypt));
}
