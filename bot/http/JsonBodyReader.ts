import type { Next, Request, RequestHandler, Response } from 'restify';
import { refuse } from './apiErrors';
import { RawBodyReader } from './RawBodyReader';
import { parseWellFormedJson } from './wellFormedJson';

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
 * Reads a JSON body into `req.body` with RawBodyReader's caps (counted after decompression, refused as soon as a body
 * passes them). Answers 415 for a content type other than JSON or an unknown encoding, 413 past the limit, 400 for a
 * broken encoding or bad JSON; an empty body leaves `req.body` undefined for the route's schema to refuse. Strings come
 * out well-formed (a lone surrogate becomes U+FFFD: see parseWellFormedJson).
 */
export class JsonBodyReader {
    readonly handler: RequestHandler;

    constructor(maxBytes: number) {
        this.handler = new RawBodyReader(maxBytes, ['application/json'], parseJson).handler;
    }
}

function parseJson(body: Buffer, req: Request, res: Response, next: Next): void {
    try {
        req.body = parseWellFormedJson(body.toString('utf8'));
    } catch (error) {
        return refuse(req, res, next, 400, 'invalid_json', `Invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    next();
}
