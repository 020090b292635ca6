import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzip } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { PROJECT_ROOT } from '../../bot/paths';

export interface ChatPageOptions {
    /** The page's sentences by phrase key ({{phrase:key}} in index.html), from the phrasebook. */
    phrases: Readonly<Record<string, string>>;
    /** Origins allowed to embed /chat in an iframe (CHAT_ALLOWED_ORIGINS): the estate's own site. */
    allowedOrigins: readonly string[];
    /** Where browsers reach Linli (PUBLIC_BASE_URL), when the stream is not on the page's own host. */
    publicBaseUrl: string | null;
}

interface Asset {
    body: Buffer;
    type: string;
    cacheControl: string;
    /** The same bytes gzipped, once compression has finished (the bundle only: 3.9 MB, about 1 MB gzipped). */
    gzipped?: Buffer;
}

const PAGE_DIR = join(PROJECT_ROOT, 'adapters', 'web', 'chat');

/**
 * The hash of an empty <style>. Web Chat's transcript scroller (react-scroll-to-bottom) is not handed the nonce: it
 * adds an empty <style> and writes its rules into it through the CSSOM, which CSP does not police. Allowing only an
 * empty element keeps any inline style text out, without 'unsafe-inline'.
 */
const EMPTY_STYLE_HASH = `sha256-${createHash('sha256').update('').digest('base64')}`;

/**
 * The owner page `/chat`: Linli's page (index.html, its script and style) and the stock Web Chat bundle, read from the
 * installed package rather than a CDN. Served with a strict CSP: scripts from Linli only, styles from Linli or
 * carrying this response's nonce (Web Chat writes its styles at run time and is given the nonce), connections to
 * Linli only, and framing by Linli's own pages and CHAT_ALLOWED_ORIGINS.
 */
export class ChatPage {
    private readonly template: string;
    private readonly assets = new Map<string, Asset>();
    private readonly connectSources: string;
    private readonly frameAncestors: string;

    constructor(options: ChatPageOptions) {
        const bundle = webChatBundle();
        // The version in the path: a new bundle is a new URL, so browsers may keep this one for a year.
        const bundlePath = `/chat/webchat-${bundle.version}.js`;
        this.template = readFileSync(join(PAGE_DIR, 'index.html'), 'utf8')
            .replaceAll('{{webChatBundle}}', bundlePath)
            .replace(/\{\{phrase:([a-z_]+)\}\}/g, (_match, key: string) => {
                const sentence = options.phrases[key];
                if (sentence === undefined) throw new Error(`adapters/web/chat/index.html names phrase ${key}, which the page was not given`);
                return escapeHtml(sentence);
            });
        const vendor: Asset = { body: readFileSync(bundle.file), type: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' };
        gzip(vendor.body, (error, zipped) => {
            if (!error) vendor.gzipped = zipped;
        });
        this.assets.set(bundlePath, vendor);
        this.assets.set('/chat/chat.js', { body: readFileSync(join(PROJECT_ROOT, 'dist', 'web', 'chat', 'chat.js')), type: 'text/javascript; charset=utf-8', cacheControl: 'no-cache' });
        this.assets.set('/chat/chat.css', { body: readFileSync(join(PAGE_DIR, 'chat.css')), type: 'text/css; charset=utf-8', cacheControl: 'no-cache' });
        const streamOrigin = options.publicBaseUrl ? new URL(options.publicBaseUrl).origin : null;
        this.connectSources = ["'self'", ...(streamOrigin ? [streamOrigin, streamOrigin.replace(/^http/, 'ws')] : [])].join(' ');
        this.frameAncestors = ["'self'", ...options.allowedOrigins].join(' ');
    }

    register(server: Server): void {
        server.get('/chat', this.page);
        for (const [path, asset] of this.assets) server.get(path, async (req: Request, res: Response) => this.send(req, res, asset));
    }

    private readonly page = async (_req: Request, res: Response): Promise<void> => {
        const nonce = randomBytes(16).toString('base64');
        res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': this.policy(nonce),
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'same-origin',
            // Each response has its own nonce: never reuse a stored copy.
            'cache-control': 'no-store',
        });
        res.end(this.template.replaceAll('{{nonce}}', nonce));
    };

    private send(req: Request, res: Response, asset: Asset): void {
        const zipped = asset.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? asset.gzipped : null;
        res.writeHead(200, {
            'content-type': asset.type,
            'x-content-type-options': 'nosniff',
            'cache-control': asset.cacheControl,
            vary: 'Accept-Encoding',
            ...(zipped ? { 'content-encoding': 'gzip' } : {}),
        });
        res.end(zipped ?? asset.body);
    }

    private policy(nonce: string): string {
        return [
            "default-src 'none'",
            "script-src 'self'",
            `style-src 'self' 'nonce-${nonce}' '${EMPTY_STYLE_HASH}'`,
            // Uploaded images come back from Linli; Web Chat previews a chosen file as a blob: URL.
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            "font-src 'self' data:",
            // Web Chat reads a chosen file through a blob: URL (and makes its thumbnail in a worker from one).
            `connect-src ${this.connectSources} blob:`,
            "worker-src blob:",
            `frame-ancestors ${this.frameAncestors}`,
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ].join('; ');
    }
}

/**
 * The installed botframework-webchat's browser bundle. Its package `exports` hide dist/ (and package.json), so the
 * package's folder is found from its entry point and the file joined to it.
 */
function webChatBundle(): { file: string; version: string } {
    let dir = dirname(require.resolve('botframework-webchat'));
    while (!existsSync(join(dir, 'package.json'))) {
        const parent = dirname(dir);
        if (parent === dir) throw new Error('botframework-webchat: no package.json above its entry point');
        dir = parent;
    }
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    return { file: join(dir, 'dist', 'webchat.js'), version };
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
