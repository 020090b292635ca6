import { gunzip, inflate } from 'node:zlib';
import { refuse } from './apiErrors';
/**
 * Owners' activities: the Bot Framework puts attachments' metadata and channelData in them, never the files.
 * (The Bot Framework Service itself caps an activity at 256 KB.)
 */
export const OWNER_BODY_BYTES = 256 * 1024;
/**
 * Staff bodies are a ticket patch with a note, a reminder or an agent's message (at most 2000 characters, under
 * 12 KiB as JSON even with every character escaped); 64 KiB leaves room and keeps a token holder's mistake small.
 */
export const STAFF_BODY_BYTES = 64 * 1024;
/**
 * Compressed bodies are accepted (HTTP allows them, and a proxy in front may compress), but every limit counts the
 * inflated bytes: zlib's maxOutputLength stops a bomb at the limit, and a broken stream is a 400, not an error
 * event nobody listens to.
 */
const DECODERS = { identity: null, gzip: gunzip, 'x-gzip': gunzip, deflate: inflate };
/**
 * Reads a JSON body into `req.body`, at most `maxBytes` on the wire and at most `maxBytes` once inflated.
 *
 * Ours rather than restify's bodyParser, which cannot be made safe: its gunzip stream has no error handler (one bad
 * gzip body ends the process), its limit counts compressed bytes, and it reads a body to the end after the limit.
 * Here a declared length over the limit is refused before a byte is read, and a body that grows past it is refused at
 * that point and its connection closed.
 *
 * Answers 415 for a content type other than JSON or an unknown encoding, 413 past the limit, 400 for a broken
 * encoding or bad JSON; an empty body leaves `req.body` undefined for the route's schema to refuse.
 */
export class JsonBodyReader {
    maxBytes;
    constructor(maxBytes) {
        this.maxBytes = maxBytes;
    }
    handler = (req, res, next) => {
        const declared = Number(req.headers['content-length'] ?? NaN);
        if (declared === 0 || (Number.isNaN(declared) && req.headers['transfer-encoding'] === undefined))
            return next();
        if (!req.is('application/json'))
            return refuse(req, res, next, 415, 'unsupported_media_type', 'Content-Type must be application/json');
        const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        const decode = DECODERS[encoding];
        if (decode === undefined) {
            res.setHeader('Accept-Encoding', 'gzip, deflate');
            return refuse(req, res, next, 415, 'unsupported_encoding', 'Content-Encoding must be gzip, deflate or identity');
        }
        if (declared > this.maxBytes)
            return refuse(req, res, next, 413, 'payload_too_large', this.tooLarge());
        const chunks = [];
        let received = 0;
        let settled = false;
        const settle = () => {
            if (settled)
                return false;
            settled = true;
            req.removeListener('data', onData);
            return true;
        };
        const onData = (chunk) => {
            received += chunk.length;
            if (received > this.maxBytes) {
                if (settle())
                    refuse(req, res, next, 413, 'payload_too_large', this.tooLarge());
                return;
            }
            chunks.push(chunk);
        };
        req.on('data', onData);
        // A client that goes away mid-body gets no answer; the chain just ends ('close' comes after 'end' otherwise).
        req.once('close', () => settle() && next(false));
        req.once('error', () => settle() && next(false));
        req.once('end', () => {
            if (!settle())
                return;
            const body = Buffer.concat(chunks);
            if (!decode)
                return this.parse(body, req, res, next);
            decode(body, { maxOutputLength: this.maxBytes }, (error, inflated) => {
                if (!error)
                    return this.parse(inflated, req, res, next);
                if (error.code === 'ERR_BUFFER_TOO_LARGE')
                    return refuse(req, res, next, 413, 'payload_too_large', this.tooLarge());
                refuse(req, res, next, 400, 'invalid_encoding', `the body is not valid ${encoding}: ${error.message}`);
            });
        });
        req.resume();
    };
    parse(body, req, res, next) {
        if (body.length === 0)
            return next();
        try {
            req.body = JSON.parse(body.toString('utf8'));
        }
        catch (error) {
            return refuse(req, res, next, 400, 'invalid_json', `Invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
        }
        next();
    }
    tooLarge() {
        return `the body is over ${this.maxBytes} bytes (counted after decompression)`;
    }
}
