import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response, Server } from 'restify';

/**
 * Without DIRECT_LINE_SECRET there is no web chat: `/chat` says so in one sentence (from the phrasebook), and
 * `/v3/directline` answers 404.
 */
export function registerChatUnavailable(server: Server, sentence: string): void {
    const escaped = sentence.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const page = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>邻里</title></head><body><p>${escaped}</p></body></html>`;
    server.get('/chat', async (_req: Request, res: Response) => {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.sendRaw(404, page);
    });
    server.pre((req, res, next) => {
        if (!(req.url ?? '').startsWith('/v3/directline')) return next();
        res.status(404);
        res.json({ error: 'not_found', reason: 'web chat is not set up (DIRECT_LINE_SECRET is unset)' });
        return next(false);
    });
    // A stream URL answers 404 too, rather than leaving the socket hanging.
    server.server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
        if ((req.url ?? '').startsWith('/v3/directline')) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
}
