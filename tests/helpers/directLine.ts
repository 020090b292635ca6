import type { Activity } from 'botbuilder';
import WebSocket from 'ws';

export const SECRET = 'test-direct-line-secret-0123456789abcdef';

export interface DlReply {
    status: number;
    json: Record<string, unknown>;
    headers: Headers;
}

/** One Direct Line call, as Microsoft's client makes it. */
export async function dl(url: string, method: string, path: string, bearer?: string, body?: unknown, headers: Record<string, string> = {}): Promise<DlReply> {
    const res = await fetch(`${url}/v3/directline${path}`, {
        method,
        headers: {
            ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown>, headers: res.headers };
}

export interface OpenedConversation {
    conversationId: string;
    token: string;
    streamUrl: string;
}

/** tokens/generate with the secret, then POST /conversations with the token (what a site's page does). */
export async function openConversation(url: string, user?: { id?: string; name?: string }, profile?: Record<string, string>): Promise<OpenedConversation> {
    const generated = await dl(url, 'POST', '/tokens/generate', SECRET, { ...(user ? { user } : {}), ...(profile ? { profile } : {}) });
    if (generated.status !== 200) throw new Error(`generate: ${generated.status} ${JSON.stringify(generated.json)}`);
    const started = await dl(url, 'POST', '/conversations', String(generated.json.token), {});
    if (started.status !== 201) throw new Error(`conversations: ${started.status} ${JSON.stringify(started.json)}`);
    return { conversationId: String(started.json.conversationId), token: String(started.json.token), streamUrl: String(started.json.streamUrl) };
}

export async function activities(url: string, c: OpenedConversation, watermark?: string): Promise<{ activities: Partial<Activity>[]; watermark: string }> {
    const reply = await dl(url, 'GET', `/conversations/${c.conversationId}/activities${watermark === undefined ? '' : `?watermark=${watermark}`}`, c.token);
    if (reply.status !== 200) throw new Error(`activities: ${reply.status}`);
    return reply.json as unknown as { activities: Partial<Activity>[]; watermark: string };
}

export async function post(url: string, c: OpenedConversation, activity: Record<string, unknown>): Promise<DlReply> {
    return dl(url, 'POST', `/conversations/${c.conversationId}/activities`, c.token, activity);
}

export interface Frame {
    activities: Partial<Activity>[];
    watermark?: string;
}

/** A stream socket collecting every frame. */
export class StreamSocket {
    readonly frames: Frame[] = [];
    closed = false;
    private constructor(readonly ws: WebSocket) {
        ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame));
        ws.on('close', () => (this.closed = true));
    }

    static open(streamUrl: string): Promise<StreamSocket> {
        return new Promise((resolve, reject) => {
            const ws = new WebSocket(streamUrl);
            const socket = new StreamSocket(ws);
            ws.once('open', () => resolve(socket));
            ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
            ws.once('error', reject);
        });
    }

    get activities(): Partial<Activity>[] {
        return this.frames.flatMap((f) => f.activities);
    }

    async waitFor(test: (activity: Partial<Activity>) => boolean, timeoutMs = 5000): Promise<Partial<Activity>> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const found = this.activities.find(test);
            if (found) return found;
            if (Date.now() > deadline) throw new Error(`no such activity within ${timeoutMs} ms; got ${JSON.stringify(this.activities.map((a) => [a.type, a.from?.role, a.text?.slice(0, 20)]))}`);
            await new Promise((r) => setTimeout(r, 10));
        }
    }

    close(): void {
        this.ws.close();
    }
}

/** The HTTP status a refused upgrade answers. */
export function upgradeStatus(streamUrl: string): Promise<number> {
    return new Promise((resolve) => {
        const ws = new WebSocket(streamUrl);
        ws.once('unexpected-response', (_req, res) => {
            resolve(res.statusCode ?? 0);
            ws.terminate();
        });
        ws.once('open', () => {
            resolve(101);
            ws.close();
        });
        ws.once('error', () => resolve(-1));
    });
}

export const isBotMessage = (a: Partial<Activity>) => a.type === 'message' && a.from?.role === 'bot';
