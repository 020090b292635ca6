import type { IncomingMessage } from 'node:http';
import { parseWellFormedJson } from '../../bot/http/wellFormedJson';

/** Web Chat's upload button: photos of a leak or a broken lift, as a phone takes them. */
export const UPLOAD_FILE_BYTES = 5 * 1024 * 1024;
/** Room for the activity part and the multipart framing around one photo. */
const UPLOAD_BODY_BYTES = UPLOAD_FILE_BYTES + 64 * 1024;
/** Images only: what agents can look at in a transcript without opening anything. */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const MAX_FILES = 4;

export class UploadRefused extends Error {
    constructor(
        readonly status: 400 | 413 | 415,
        readonly code: string,
        message: string,
    ) {
        super(message);
    }
}

export interface UploadedFile {
    contentType: string;
    name: string;
    data: Buffer;
}

export interface Upload {
    /** The activity part Microsoft's client sends beside the files (its text and channelData). */
    activity?: { text?: unknown; channelData?: Record<string, unknown> };
    files: UploadedFile[];
}

/**
 * Reads a multipart upload (at most 5 MB per image, 415 for anything but an image) with the multipart parser Node
 * ships (undici's FormData), after the body is capped here: nothing beyond the cap is read.
 */
export async function readUpload(req: IncomingMessage): Promise<Upload> {
    const type = String(req.headers['content-type'] ?? '');
    if (!/^multipart\/form-data\s*;/i.test(type)) throw new UploadRefused(415, 'unsupported_media_type', 'an upload is multipart/form-data');
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') throw new UploadRefused(415, 'unsupported_encoding', 'images are compressed already: send the upload uncompressed');
    if (Number(req.headers['content-length'] ?? 0) > UPLOAD_BODY_BYTES) throw new UploadRefused(413, 'payload_too_large', `an image is at most ${UPLOAD_FILE_BYTES} bytes`);
    const body = await readCapped(req, UPLOAD_BODY_BYTES);
    let form: FormData;
    try {
        form = await new Request('http://upload.invalid/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
    } catch (error) {
        throw new UploadRefused(400, 'invalid_multipart', `the upload is not valid multipart: ${error instanceof Error ? error.message : String(error)}`);
    }
    const files: UploadedFile[] = [];
    let activity: Upload['activity'];
    for (const [field, value] of form.entries()) {
        if (typeof value === 'string') continue;
        if (field === 'activity') {
            activity = parseActivity(await value.text());
            continue;
        }
        const contentType = value.type.split(';')[0]?.trim().toLowerCase() ?? '';
        if (!IMAGE_TYPES.has(contentType)) throw new UploadRefused(415, 'unsupported_media_type', 'only images (JPEG, PNG, GIF, WebP) can be uploaded');
        if (value.size > UPLOAD_FILE_BYTES) throw new UploadRefused(413, 'payload_too_large', `an image is at most ${UPLOAD_FILE_BYTES} bytes`);
        files.push({ contentType, name: (value.name || 'image').slice(0, 128), data: Buffer.from(await value.arrayBuffer()) });
    }
    if (files.length === 0) throw new UploadRefused(400, 'no_file', 'the upload holds no file');
    if (files.length > MAX_FILES) throw new UploadRefused(400, 'too_many_files', `at most ${MAX_FILES} images at once`);
    return { ...(activity ? { activity } : {}), files };
}

function parseActivity(text: string): Upload['activity'] {
    try {
        const parsed = parseWellFormedJson(text);
        if (!parsed || typeof parsed !== 'object') return undefined;
        const { text: words, channelData } = parsed as { text?: unknown; channelData?: unknown };
        return { text: words, ...(channelData && typeof channelData === 'object' ? { channelData: channelData as Record<string, unknown> } : {}) };
    } catch {
        throw new UploadRefused(400, 'invalid_activity', 'the activity part is not JSON');
    }
}

function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let received = 0;
        let done = false;
        const finish = (error: Error | null, body?: Buffer) => {
            if (done) return;
            done = true;
            req.removeListener('data', onData);
            if (error) reject(error);
            else resolve(body ?? Buffer.alloc(0));
        };
        const onData = (chunk: Buffer) => {
            received += chunk.length;
            if (received > maxBytes) return finish(new UploadRefused(413, 'payload_too_large', `an image is at most ${UPLOAD_FILE_BYTES} bytes`));
            chunks.push(chunk);
        };
        req.on('data', onData);
        req.once('end', () => finish(null, Buffer.concat(chunks)));
        req.once('error', (error) => finish(new UploadRefused(400, 'broken_body', error.message)));
        req.once('close', () => finish(new UploadRefused(400, 'broken_body', 'the client went away')));
        req.resume();
    });
}
