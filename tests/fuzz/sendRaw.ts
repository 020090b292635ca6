import { connect, type Socket } from 'node:net';
import type { RawRequest, RepeatedBody } from './hostileRequests';

/** What came back: a status (with the start of the body), nothing before the socket closed, or nothing in time. */
export type RawOutcome =
    | { kind: 'status'; status: number; body: string; ms: number }
    | { kind: 'dropped'; ms: number; error?: string }
    | { kind: 'timeout'; ms: number };

/** How much of a response body is kept (enough for the JSON reason of an error). */
const BODY_KEPT = 2048;

function bodyLength(body: Buffer | RepeatedBody): number {
    return Buffer.isBuffer(body) ? body.length : body.bytes;
}

/** Writes `bytes` of the repeated body with back-pressure, stopping when the socket is gone. */
async function writeRepeated(socket: Socket, body: RepeatedBody, chunked: boolean): Promise<void> {
    const block = Buffer.concat(Array.from({ length: Math.max(1, Math.ceil(65_536 / body.fill.length)) }, () => body.fill));
    const write = (data: Buffer) => {
        if (socket.destroyed || !socket.writable) return Promise.resolve(false);
        const framed = chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data;
        return socket.write(framed) ? Promise.resolve(true) : new Promise<boolean>((resolve) => {
            const done = (ok: boolean) => {
                socket.off('drain', onDrain);
                socket.off('close', onClose);
                resolve(ok);
            };
            const onDrain = () => done(true);
            const onClose = () => done(false);
            socket.once('drain', onDrain);
            socket.once('close', onClose);
        });
    };
    let left = body.bytes - body.head.length - body.tail.length;
    if (!(await write(body.head))) return;
    while (left > 0) {
        const piece = left >= block.length ? block : block.subarray(0, left);
        left -= piece.length;
        if (!(await write(piece))) return;
    }
    await write(body.tail);
}

/**
 * Sends one request byte for byte over its own TCP connection (node:http would refuse to send most of these) and
 * reads the status line, skipping interim 1xx answers. `timeoutMs` bounds the whole exchange.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs: number): Promise<RawOutcome> {
    const started = Date.now();
    return new Promise((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        let settled = false;
        let received = Buffer.alloc(0);
        let status: number | null = null;
        let bodyStart = -1;
        let grace: NodeJS.Timeout | undefined;
        const finish = (outcome: RawOutcome) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            clearTimeout(grace);
            socket.destroy();
            resolve(outcome);
        };
        const statusOutcome = (): RawOutcome => ({ kind: 'status', status: status ?? 0, body: received.subarray(bodyStart, bodyStart + BODY_KEPT).toString('utf8'), ms: Date.now() - started });
        const timer = setTimeout(() => finish(status !== null ? statusOutcome() : { kind: 'timeout', ms: Date.now() - started }), timeoutMs);
        socket.on('error', (error) => {
            // A server that answers early (413, 401) and closes while the body is still going is fine.
            if (status !== null) finish(statusOutcome());
            else if (!settled) setTimeout(() => finish(status !== null ? statusOutcome() : { kind: 'dropped', ms: Date.now() - started, error: error.message }), 50);
        });
        socket.on('close', () => finish(status !== null ? statusOutcome() : { kind: 'dropped', ms: Date.now() - started }));
        socket.on('data', (chunk: Buffer) => {
            if (received.length < 64 * 1024) received = Buffer.concat([received, chunk]);
            for (;;) {
                if (status !== null) break;
                const end = received.indexOf('\r\n\r\n');
                if (end < 0) return;
                const match = /^HTTP\/1\.[01] (\d{3})/.exec(received.subarray(0, 16).toString('latin1'));
                const code = match ? Number(match[1]) : 0;
                if (code >= 100 && code < 200) {
                    received = received.subarray(end + 4);
                    continue;
                }
                status = code;
                bodyStart = end + 4;
                // The body is read for a moment (an error's reason), not to its end: streams (the live feed) never end.
                grace = setTimeout(() => finish(statusOutcome()), 300);
            }
            if (received.length - bodyStart >= BODY_KEPT) finish(statusOutcome());
        });
        socket.once('connect', async () => {
            const chunked = request.framing === 'chunked';
            const head = [`${request.method} ${request.path} HTTP/1.1`, ...request.headers.map(([k, v]) => `${k}: ${v}`)];
            if (request.framing === 'length') head.push(`Content-Length: ${bodyLength(request.body)}`);
            if (chunked) head.push('Transfer-Encoding: chunked');
            head.push('Connection: close');
            socket.write(`${head.join('\r\n')}\r\n\r\n`, 'latin1');
            if (Buffer.isBuffer(request.body)) {
                if (chunked) socket.write(request.body.length ? Buffer.concat([Buffer.from(`${request.body.length.toString(16)}\r\n`), request.body, Buffer.from('\r\n')]) : Buffer.alloc(0));
                else socket.write(request.body);
            } else {
                await writeRepeated(socket, request.body, chunked);
            }
            if (chunked && !socket.destroyed) socket.write('0\r\n\r\n');
        });
    });
}
