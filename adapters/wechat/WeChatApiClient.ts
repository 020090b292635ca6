import { randomUUID } from 'node:crypto';
import type { Logger } from '../../bot/logger';
import type { ExpiringKeys } from '../../bot/storage/ExpiringKeys';

/** A call WeChat answered with an errcode (or not at all: `errcode` -1, as WeChat itself says for "busy"). */
export class WeChatApiError extends Error {
    constructor(
        readonly errcode: number,
        errmsg: string,
    ) {
        super(`WeChat API error ${errcode}: ${errmsg}`);
        this.name = 'WeChatApiError';
    }
}

/** The token is invalid, expired or not the latest: refreshed once (force_refresh) and the call retried once. */
export const TOKEN_ERRORS: ReadonlySet<number> = new Set([40001, 42001, 40014]);

/** A token is renewed this long before WeChat says it expires, so no call goes out with one about to lapse. */
const TOKEN_MARGIN_S = 5 * 60;
/** One instance fetches the token; the lock outlives a slow fetch (the call's own deadline) and no more. */
const FETCH_LOCK_MS = 10_000;
/** How long an instance that did not win the lock waits for the winner's token before asking itself. */
const WAIT_FOR_FETCH_MS = 5_000;
const POLL_MS = 50;

export interface WeChatApiClientOptions {
    baseUrl: string;
    appId: string;
    secret: string;
    keys: ExpiringKeys;
    logger: Logger;
    /** Each call's deadline. */
    timeoutMs: number;
}

interface ApiAnswer {
    errcode?: number;
    errmsg?: string;
    access_token?: string;
    expires_in?: number;
}

/**
 * WeChat's API as Linli uses it: the stable access token (POST /cgi-bin/stable_token), cached in the shared store until
 * five minutes before it expires and fetched by one instance at a time, and customer-service text messages. The
 * secret and the token never reach a log line: errors carry only WeChat's errcode and errmsg.
 */
export class WeChatApiClient {
    private readonly tokenKey: string;
    private readonly lockKey: string;

    constructor(private readonly options: WeChatApiClientOptions) {
        this.tokenKey = `wechat:token:${options.appId}`;
        this.lockKey = `wechat:token-lock:${options.appId}`;
    }

    /** One customer-service text (at most 2048 bytes, the caller's concern); throws WeChatApiError. */
    async sendText(openid: string, content: string): Promise<void> {
        const body = { touser: openid, msgtype: 'text', text: { content } };
        await this.withToken((token) => this.call(`/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, body));
    }

    /** Runs `call` with the current token; on a token error refreshes it once and runs it once more. */
    private async withToken(call: (token: string) => Promise<ApiAnswer>): Promise<void> {
        const token = await this.token(null);
        let answer = await call(token);
        if (answer.errcode !== undefined && TOKEN_ERRORS.has(answer.errcode)) {
            this.options.logger.info({ errcode: answer.errcode }, 'wechat access token refused; refreshing it once');
            answer = await call(await this.token(token));
        }
        if (answer.errcode) throw new WeChatApiError(answer.errcode, answer.errmsg ?? '');
    }

    /** The cached token, or a fresh one; `stale` is a token WeChat refused (fetched again with force_refresh). */
    private async token(stale: string | null): Promise<string> {
        const deadline = Date.now() + WAIT_FOR_FETCH_MS;
        for (;;) {
            const cached = await this.options.keys.get(this.tokenKey);
            if (cached && cached !== stale) return cached;
            if (await this.options.keys.claim(this.lockKey, randomUUID(), FETCH_LOCK_MS)) {
                try {
                    return await this.fetchToken(stale !== null);
                } finally {
                    await this.options.keys.delete(this.lockKey).catch(() => undefined);
                }
            }
            // Another instance is fetching: its token lands in the store in a moment.
            if (Date.now() > deadline) throw new WeChatApiError(-1, 'no access token: another instance holds the fetch lock');
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
    }

    private async fetchToken(forceRefresh: boolean): Promise<string> {
        const { appId, secret } = this.options;
        const answer = await this.call('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: appId, secret, force_refresh: forceRefresh });
        if (!answer.access_token || answer.errcode) throw new WeChatApiError(answer.errcode ?? -1, answer.errmsg ?? 'no access_token in the answer');
        const ttlS = Math.max(1, (answer.expires_in ?? 7200) - TOKEN_MARGIN_S);
        await this.options.keys.set(this.tokenKey, answer.access_token, ttlS * 1000);
        return answer.access_token;
    }

    private async call(path: string, body: unknown): Promise<ApiAnswer> {
        let response: Response;
        try {
            response = await fetch(new URL(path, this.options.baseUrl), {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(body),
                signal: AbortSignal.timeout(this.options.timeoutMs),
            });
        } catch (error) {
            // The URL holds the token: only the failure's kind is kept.
            throw new WeChatApiError(-1, error instanceof Error ? error.name : 'request failed');
        }
        if (!response.ok) throw new WeChatApiError(-1, `HTTP ${response.status}`);
        try {
            return (await response.json()) as ApiAnswer;
        } catch {
            throw new WeChatApiError(-1, 'the answer is not JSON');
        }
    }
}
