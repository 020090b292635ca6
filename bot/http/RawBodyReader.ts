import { gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';
import type { Next, Request, RequestHandler, Response } from 'restify';
import { refuse } from './apiErrors';

type Inflate = (buffer: InputType, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void) => void;

/**
 * Compressed bodies are accepted (HTTP allows them, and a proxy in front may compress), but every limit counts the
 * inflated bytes: zlib's maxOutputLength stops a bomb at the limit, and a broken stream is a 400, not an error
 * event nobody listens to.
 */
const DECODERS: Record<string, Inflate | null> = { identity: null, gzip: gunzip, 'x-gzip': gunzip, deflate: inflate };

/** What to do with a body once it is read and inflated (never called for an empty one). */
export type BodyHandler = (body: Buffer, req: Request, res: Response, next: Next) => void;

/**
 * Reads a request body, at most `maxBytes` on the wire and at most `maxBytes` once inflated, and hands it on.
 *
 * Ours rather than restify's bodyParser, which cannot be made safe: its gunzip stream has no error handler (one bad
 * gzip body ends the process), its limit counts compressed bytes, and it reads a body to the end after the limit.
 * Here a declared length over the limit is refused before a byte is read, and a body that grows past it is refused at
 * that point and its connection closed.
 *
 * Answers 415 for a content type not in `mediaTypes` or an unknown encoding, 413 past the limit, 400 for a broken
 * encoding; an empty body goes on with `req.body` undefined.
 */
export class RawBodyReader {
    constructor(
        private readonly maxBytes: number,
        private readonly mediaTypes: readonly string[],
        private readonly onBody: BodyHandler,
    ) {}

    readonly handler: RequestHandler = (req: Request, res: Response, next: Next): void => {
        const declared = Number(req.headers['content-length'] ?? NaN);
        if (declared === 0 || (Number.isNaN(declared) && req.headers['transfer-encoding'] === undefined)) return next();
        if (!this.mediaTypes.some((type) => req.is(type))) {
            return refuse(req, res, next, 415, 'unsupported_media_type', `Content-Type must be ${this.mediaTypes.join(' or ')}`);
        }
        const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        const decode = DECODERS[encoding];
        if (decode === undefined) {
            res.setHeader('Accept-Encoding', 'gzip, deflate');
            return refuse(req, res, next, 415, 'unsupported_encoding', 'Content-Encoding must be gzip, deflate or identity');
        }
        if (declared > this.maxBytes) return refuse(req, res, next, 413, 'payload_too_large', this.tooLarge());

        const chunks: Buffer[] = [];
        let received = 0;
        let settled = false;
        const settle = (): boolean => {
            if (settled) return false;
            settled = true;
            req.removeListener('data', onData);
            return true;
        };
        const onData = (chunk: Buffer): void => {
            received += chunk.length;
            if (received > this.maxBytes) {
                if (settle()) refuse(req, res, next, 413, 'payload_too_large', this.tooLarge());
                return;
            }
            chunks.push(chunk);
        };
        req.on('data', onData);
        // A client that goes away mid-body gets no answer; the chain just ends ('close' comes after 'end' otherwise).
        req.once('close', () => settle() && next(false));
        req.once('error', () => settle() && next(false));
        req.once('end', () => {
            if (!settle()) return;
            const body = Buffer.concat(chunks);
            if (!decode) return this.handOn(body, req, res, next);
            decode(body, { maxOutputLength: this.maxBytes }, (error, inflated) => {
                if (!error) return this.handOn(inflated, req, res, next);
                if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return refuse(req, res, next, 413, 'payload_too_large', this.tooLarge());
                refuse(req, res, next, 400, 'invalid_encoding', `the body is not valid ${encoding}: ${error.message}`);
            });
        });
        req.resume();
    };

    private handOn(body: Buffer, req: Request, res: Response, next: Next): void {
        if (body.length === 0) return next();
        this.onBody(body, req, res, next);
    }

    private tooLarge(): string {
        return `the body is over ${this.maxBytes} bytes (counted after decompression)`;
    }
}
