import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../bot/logger';
import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import type { ActivityPush, ActivitySet, ConversationLog } from '../../bot/webchat/ConversationLog';
import type { DirectLineTokens } from './DirectLineTokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/?]+)\/stream(?:\?|$)/;
/** Sockets one conversation may hold (tabs, a reconnect racing the old socket); beyond, the oldest is closed. */
export const MAX_SOCKETS_PER_CONVERSATION = 5;
/** Keeps proxies from dropping a quiet socket, and finds the dead ones. */
export const PING_MS = 30_000;

/**
 * The conversations' WebSocket streams: a socket opened with its 60-second credential (`t=`) hears the conversation
 * from its watermark (or the start), then every push as it happens, on whichever instance it was written.
 * Client frames are ignored.
 */
export class DirectLineStream {
    private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
    private readonly sockets = new Map<string, WebSocket[]>();
    private readonly pinger: NodeJS.Timeout;

    constructor(
        private readonly log: ConversationLog,
        private readonly tokens: DirectLineTokens,
        private readonly logger: Logger,
        pingMs = PING_MS,
    ) {
        this.pinger = setInterval(() => this.ping(), pingMs);
        this.pinger.unref();
    }

    attach(server: HttpServer): void {
        server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
            const match = STREAM_PATH.exec(req.url ?? '');
            if (!match) {
                // Linli has no other WebSocket endpoint (restify only relays the event): an upgrade left unanswered
                // would hang until the client gives up.
                socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
                return;
            }
            socket.on('error', () => socket.destroy());
            let conversationId: string;
            try {
                conversationId = decodeURIComponent(match[1] ?? '');
            } catch {
                // `%E0` and the like: this runs outside any request handler, so a throw here would end the process.
                refuse(socket, 400, 'Bad Request');
                return;
            }
            this.upgrade(req, socket, head, conversationId).catch((error: unknown) => {
                this.logger.error({ err: error }, 'web chat stream: upgrade failed');
                socket.destroy();
            });
        });
        // server.close() waits for every connection to end, and a stream never ends by itself: close them first.
        const closeServer = server.close.bind(server);
        server.close = (callback?: (error?: Error) => void) => {
            this.close();
            return closeServer(callback);
        };
    }

    close(): void {
        clearInterval(this.pinger);
        for (const list of this.sockets.values()) for (const ws of list) ws.terminate();
        this.sockets.clear();
    }

    private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, conversationId: string): Promise<void> {
        const query = new URL(req.url ?? '', 'http://stream.invalid').searchParams;
        const credential = query.get('t');
        if (!credential) return refuse(socket, 401, 'Unauthorized');
        const verdict = this.tokens.verify(credential, 's');
        if (!verdict.ok) return refuse(socket, verdict.status, verdict.status === 401 ? 'Unauthorized' : 'Forbidden');
        if (verdict.claims.c !== conversationId) return refuse(socket, 403, 'Forbidden');
        const raw = query.get('watermark');
        const watermark = raw && /^\d{1,12}$/.test(raw) ? Number(raw) : 0;
        // Listens before reading, so nothing written in between is missed; the watermark keeps anything from being
        // sent twice. The read also says whether the conversation exists: one store step before the handshake.
        const early: ActivityPush[] = [];
        let forward: ((push: ActivityPush) => void) | null = null;
        const stop = this.log.listen(conversationId, (push) => (forward ? forward(push) : early.push(push)));
        let replay: ActivitySet | null;
        try {
            replay = await this.log.replay(conversationId, watermark);
        } catch (error) {
            stop();
            if (error instanceof StorageUnavailableError) return refuse(socket, 503, 'Service Unavailable');
            throw error;
        }
        if (!replay) {
            stop();
            return refuse(socket, 404, 'Not Found');
        }
        const from = replay;
        // A socket gone before its handshake completes is never served: stop listening for it (it may have gone while
        // the store was read, its 'close' already emitted).
        if (socket.destroyed) {
            stop();
            return;
        }
        let served = false;
        socket.once('close', () => {
            if (!served) stop();
        });
        this.wss.handleUpgrade(req, socket, head, (ws) => {
            served = true;
            forward = this.serve(ws, conversationId, watermark, from, stop);
            for (const push of early) forward(push);
        });
    }

    /** Sends the replay, then every push past it; returns what forwards a push to this socket. */
    private serve(ws: WebSocket, conversationId: string, watermark: number, replay: ActivitySet, stop: () => void): (push: ActivityPush) => void {
        this.hold(conversationId, ws);
        let sent = watermark;
        ws.on('close', () => {
            stop();
            this.release(conversationId, ws);
        });
        ws.on('message', () => {});
        ws.on('pong', () => alive.add(ws));
        ws.on('error', () => ws.terminate());
        alive.add(ws);
        if (replay.activities.length > 0) {
            send(ws, JSON.stringify(replay));
            sent = Number(replay.watermark);
        }
        return (push: ActivityPush) => {
            if (push.watermark === undefined) return send(ws, push.frame);
            const seq = Number(push.watermark);
            if (seq <= sent) return;
            sent = seq;
            send(ws, push.frame);
        };
    }

    private hold(conversationId: string, ws: WebSocket): void {
        const list = this.sockets.get(conversationId) ?? [];
        list.push(ws);
        this.sockets.set(conversationId, list);
        while (list.length > MAX_SOCKETS_PER_CONVERSATION) list.shift()?.close(1008, 'too many sockets on this conversation');
    }

    private release(conversationId: string, ws: WebSocket): void {
        const list = this.sockets.get(conversationId);
        if (!list) return;
        const at = list.indexOf(ws);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) this.sockets.delete(conversationId);
    }

    private ping(): void {
        for (const list of this.sockets.values()) {
            for (const ws of list) {
                if (!alive.has(ws)) {
                    ws.terminate();
                    continue;
                }
                alive.delete(ws);
                ws.ping();
            }
        }
    }
}

/** Sockets that answered the last ping. */
const alive = new WeakSet<WebSocket>();

function send(ws: WebSocket, frame: string): void {
    if (ws.readyState === ws.OPEN) ws.send(frame);
}

function refuse(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
