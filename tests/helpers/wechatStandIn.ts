import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One customer-service message WeChat's API accepted. */
export interface SentMessage {
    touser: string;
    content: string;
}

/**
 * A loopback stand-in for WeChat's API: /cgi-bin/token, /cgi-bin/stable_token and /cgi-bin/message/custom/send,
 * with scripted error codes. Tokens are numbered; a token the test revoked is answered 40001 like WeChat does.
 */
export class WeChatStandIn {
    readonly sent: SentMessage[] = [];
    /** Every stable_token call's force_refresh. */
    readonly tokenFetches: boolean[] = [];
    /** errcodes the next sends answer with, in order (then success again). */
    readonly sendErrors: number[] = [];
    private readonly revoked = new Set<string>();
    private issued = 0;
    private current = '';
    private server: Server | undefined;
    url = '';

    async start(): Promise<this> {
        this.server = createServer((req, res) => {
            void this.handle(req).then((answer) => {
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end(JSON.stringify(answer));
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    /** Makes WeChat stop accepting the token it gave last (as when another party refreshed it). */
    revokeCurrentToken(): void {
        this.revoked.add(this.current);
    }

    /** Messages sent to one owner, in order. */
    to(openid: string): string[] {
        return this.sent.filter((m) => m.touser === openid).map((m) => m.content);
    }

    /** Waits until `count` messages reached `openid` (or fails after `timeoutMs`). */
    async waitFor(openid: string, count: number, timeoutMs = 8000): Promise<string[]> {
        const deadline = Date.now() + timeoutMs;
        while (this.to(openid).length < count) {
            if (Date.now() > deadline) throw new Error(`only ${this.to(openid).length} of ${count} messages reached ${openid}`);
            await new Promise((r) => setTimeout(r, 25));
        }
        return this.to(openid);
    }

    close(): Promise<void> {
        return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    private async handle(req: IncomingMessage): Promise<Record<string, unknown>> {
        const url = new URL(req.url ?? '/', 'http://x');
        const body = await readJson(req);
        if (url.pathname === '/cgi-bin/token' || url.pathname === '/cgi-bin/stable_token') {
            this.tokenFetches.push(body.force_refresh === true);
            if (body.secret !== undefined && typeof body.secret !== 'string') return { errcode: 40125, errmsg: 'invalid appsecret' };
            if (body.force_refresh === true || !this.current || this.revoked.has(this.current)) this.current = `ACCESS_TOKEN_${++this.issued}`;
            return { access_token: this.current, expires_in: 7200 };
        }
        if (url.pathname === '/cgi-bin/message/custom/send') {
            const token = url.searchParams.get('access_token') ?? '';
            if (token !== this.current || this.revoked.has(token)) return { errcode: 40001, errmsg: 'invalid credential' };
            const scripted = this.sendErrors.shift();
            if (scripted !== undefined) return { errcode: scripted, errmsg: 'scripted by the test' };
            const text = body.text as { content?: string } | undefined;
            this.sent.push({ touser: String(body.touser), content: String(text?.content ?? '') });
            return { errcode: 0, errmsg: 'ok' };
        }
        return { errcode: 40066, errmsg: 'invalid url' };
    }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
        return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
        return {};
    }
}
