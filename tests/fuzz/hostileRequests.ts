import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { filledPath, FUZZ_DIRECT_LINE_SECRET, FUZZ_ROUTES, type FuzzCredential, type FuzzRoute, type FuzzTarget } from './fuzzRoutes';
import { hostileId, oddString, wrongType } from './hostileValues';

/** A body too big to build in memory: `head`, then `fill` repeated up to `bytes` in all, then `tail`. */
export interface RepeatedBody {
    head: Buffer;
    fill: Buffer;
    tail: Buffer;
    bytes: number;
}

/** One request exactly as it goes on the wire (the sender adds Content-Length unless `framing` says otherwise). */
export interface RawRequest {
    method: string;
    path: string;
    headers: [string, string][];
    body: Buffer | RepeatedBody;
    /** `length`: a true Content-Length; `chunked`: chunked encoding; `as-is`: the headers and body say it all (lies included). */
    framing: 'length' | 'chunked' | 'as-is';
    /** The request leaves the server waiting for bytes that never come (a Content-Length above the body): closed early. */
    hangs: boolean;
}

export interface FuzzCase {
    index: number;
    attack: string;
    route: FuzzRoute;
    /** One line saying what was sent, for the report. */
    label: string;
    /** The bytes the server may end up holding for it (a bomb's inflated size): the first suspects of RSS growth. */
    heft: number;
    /** Still a message when read (see Draft.readable): an answer to it is no finding. */
    readable: boolean;
    request: RawRequest;
}

export interface FuzzOptions {
    /** A valid staff token (AGENT_TOKENS of the server under attack). */
    token: string;
    /** The largest plain body sent, in bytes. */
    maxBodyBytes: number;
    /** Inflated sizes of the compression bombs, in bytes. */
    bombBytes: number[];
}

interface Draft {
    label: string;
    method?: string;
    headers?: [string, string][];
    /** Replaces the content type (null: none at all). */
    contentType?: string | null;
    body?: Buffer | RepeatedBody;
    framing?: RawRequest['framing'];
    hangs?: boolean;
    /** Sent without a Host header (HTTP/1.1 requires one). */
    noHost?: boolean;
    /** What the body inflates to, when compressed. */
    inflated?: number;
    /** An XML attack whose body is still a readable message (a long text, references left as text): it may be answered. */
    readable?: boolean;
}

const JSON_TYPE = 'application/json';
const XML_TYPE = 'text/xml';
const MULTIPART_BOUNDARY = 'fuzz-boundary-7d3f';
const MULTIPART_TYPE = `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`;
/** The smallest valid PNG (1×1): the image part of a plausible upload. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** Web Chat's upload: the activity as one part, an image as another. */
function multipartOf(activity: Record<string, unknown>): Buffer {
    const part = (headers: string, data: Buffer) => Buffer.concat([Buffer.from(`--${MULTIPART_BOUNDARY}\r\n${headers}\r\n\r\n`), data, Buffer.from('\r\n')]);
    return Buffer.concat([
        part('Content-Disposition: form-data; name="activity"; filename="blob"\r\nContent-Type: application/vnd.microsoft.activity', Buffer.from(JSON.stringify(activity))),
        part('Content-Disposition: form-data; name="file"; filename="leak.png"\r\nContent-Type: image/png', PNG),
        Buffer.from(`--${MULTIPART_BOUNDARY}--\r\n`),
    ]);
}

/** WeChat's wrapping: `<xml>` with every field in CDATA (a `]]>` inside a value split across two sections). */
function xmlOf(fields: Record<string, unknown>): string {
    const cdata = (v: string) => `<![CDATA[${v.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
    return `<xml>${Object.entries(fields)
        .map(([name, value]) => `<${name}>${cdata(typeof value === 'string' ? value : JSON.stringify(value) ?? '')}</${name}>`)
        .join('')}</xml>`;
}

/** The route's plausible body as it goes on the wire: XML for WeChat's route, multipart for uploads, JSON for the rest. */
function wire(route: FuzzRoute, body: Record<string, unknown>): Buffer {
    if (route.multipart) return multipartOf(body);
    return Buffer.from(route.xml ? xmlOf(body) : JSON.stringify(body));
}

/** The XML attacks: whatever they send, /api/wechat answers 4xx or `success` (checked by FuzzRun), never 5xx. */
export const XML_ATTACKS: ReadonlySet<string> = new Set(['xmlBroken', 'xmlHuge', 'xmlEntityBomb', 'xmlWrongType']);

/** A plausible WeChat text message, the frame the XML attacks twist. */
const WECHAT_HEAD = '<xml><ToUserName><![CDATA[gh_fuzz]]></ToUserName><FromUserName><![CDATA[oFuzzOwner1]]></FromUserName><CreateTime>1764547200</CreateTime><MsgType><![CDATA[text]]></MsgType>';

function kib(bytes: number): string {
    return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function plausibleBody(route: FuzzRoute, target: FuzzTarget): fc.Arbitrary<Record<string, unknown>> {
    return route.body ? route.body(target) : fc.constantFrom({}, { text: '您好' });
}

/** Compressed bodies are cached: the same bomb is sent many times, and deflating 100 MiB takes a while. */
const bombs = new Map<string, Buffer>();

function bomb(encoding: 'gzip' | 'deflate', inflated: number): Buffer {
    const key = `${encoding}:${inflated}`;
    let compressed = bombs.get(key);
    if (!compressed) {
        const plain = Buffer.alloc(inflated, 'a');
        plain.write('{"type":"message","channelId":"emulator","deliveryMode":"expectReplies","conversation":{"id":"bomb"},"from":{"id":"b"},"text":"');
        plain.write('"}', inflated - 2);
        compressed = encoding === 'gzip' ? gzipSync(plain, { level: 9 }) : deflateSync(plain, { level: 9 });
        bombs.set(key, compressed);
    }
    return compressed;
}

const garbageBytes = fc.uint8Array({ minLength: 0, maxLength: 2048 }).map((a) => Buffer.from(a));

/** The attacks, each a generator of drafts for any route; fast-check picks the details from the case's seed. */
const ATTACKS: Record<string, (route: FuzzRoute, target: FuzzTarget, options: FuzzOptions) => fc.Arbitrary<Draft>> = {
    plausible: (route, target) => plausibleBody(route, target).map((body) => ({ label: `plausible ${JSON.stringify(body).slice(0, 160)}`, body: wire(route, body) })),

    xmlBroken: () =>
        fc.constantFrom('truncated', 'unclosed', 'mismatched', 'no-root', 'two-roots', 'cdata-open', 'garbage-after', 'invalid-utf8', 'bom', 'gbk-declaration', 'empty', 'text-only', 'json', 'attributes').map((how) => {
            const whole = `${WECHAT_HEAD}<Content><![CDATA[电梯坏了]]></Content><MsgId>1</MsgId></xml>`;
            const bodies: Record<string, Buffer> = {
                truncated: Buffer.from(whole.slice(0, whole.length >> 1)),
                unclosed: Buffer.from(`${WECHAT_HEAD}<Content><![CDATA[电梯坏了]]>`),
                mismatched: Buffer.from(`${WECHAT_HEAD}<Content>电梯坏了</MsgType></xml>`),
                'no-root': Buffer.from('<ToUserName>gh</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType>'),
                'two-roots': Buffer.from(`${whole}${whole}`),
                'cdata-open': Buffer.from(`${WECHAT_HEAD}<Content><![CDATA[电梯坏了</Content></xml>`),
                'garbage-after': Buffer.from(`${whole}<<<&&&]]>`),
                'invalid-utf8': Buffer.concat([Buffer.from(`${WECHAT_HEAD}<Content>`), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe]), Buffer.from('</Content></xml>')]),
                bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<xml><MsgType>'), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('</MsgType></xml>')]),
                'gbk-declaration': Buffer.concat([Buffer.from('<?xml version="1.0" encoding="GBK"?><xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><MsgType>'), Buffer.from([0xc4, 0xfa]), Buffer.from('</MsgType></xml>')]),
                empty: Buffer.alloc(0),
                'text-only': Buffer.from('电梯坏了'),
                json: Buffer.from('{"xml":{"MsgType":"text","Content":"您好"}}'),
                attributes: Buffer.from(`<xml a="1" a="2" ${'b'.repeat(5000)}="x"><MsgType x=">" /></xml>`),
            };
            return { label: `broken XML (${how})`, contentType: XML_TYPE, body: bodies[how] ?? Buffer.alloc(0) };
        }),

    xmlHuge: (_route, _target, options) =>
        fc.tuple(fc.constantFrom('content', 'many-fields', 'deep', 'just-under'), fc.double({ min: Math.log2(65 * 1024), max: Math.log2(Math.max(65 * 1024, options.maxBodyBytes)), noNaN: true }), fc.integer({ min: 9, max: 50_000 })).map(([how, log2, depth]) => {
            const bytes = Math.round(2 ** log2);
            if (how === 'deep') return { label: `XML nested ${depth} deep`, contentType: XML_TYPE, body: Buffer.from(`${WECHAT_HEAD}${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</xml>`) };
            // Under the 64 KiB cap: a message WeChat would never send (its text is capped at 2048 bytes), read in full.
            if (how === 'just-under') return { label: 'XML Content of 60 KiB', contentType: XML_TYPE, readable: true, body: Buffer.from(`${WECHAT_HEAD}<Content><![CDATA[${'漏'.repeat(20_000)}]]></Content><MsgId>7</MsgId></xml>`) };
            const huge: RepeatedBody =
                how === 'content'
                    ? { head: Buffer.from(`${WECHAT_HEAD}<Content><![CDATA[`), fill: Buffer.from('电梯坏了'), tail: Buffer.from(']]></Content></xml>'), bytes }
                    : { head: Buffer.from(WECHAT_HEAD), fill: Buffer.from('<Field>x</Field>'), tail: Buffer.from('</xml>'), bytes };
            return { label: `huge XML (${how}, ${kib(bytes)})`, contentType: XML_TYPE, body: huge };
        }),

    xmlEntityBomb: () =>
        fc.constantFrom('billion-laughs', 'external-file', 'external-url', 'parameter-entity', 'doctype-only', 'undeclared-reference', 'many-references', 'gzip-laughs', 'lowercase-doctype').map((how) => {
            const laughs = `<!DOCTYPE xml [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]>`;
            const texts: Record<string, string> = {
                'billion-laughs': `${laughs}${WECHAT_HEAD}<Content>&lol9;</Content></xml>`,
                'external-file': `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${WECHAT_HEAD}<Content>&xxe;</Content></xml>`,
                'external-url': `<!DOCTYPE xml SYSTEM "http://127.0.0.1:9/evil.dtd">${WECHAT_HEAD}<Content>x</Content></xml>`,
                'parameter-entity': `<!DOCTYPE xml [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>${WECHAT_HEAD}</xml>`,
                'doctype-only': `<!DOCTYPE xml>${WECHAT_HEAD}<Content>x</Content></xml>`,
                'undeclared-reference': `${WECHAT_HEAD}<Content>&lol9;&xxe;&#xFFFFFFF;&#0;</Content></xml>`,
                'many-references': `${WECHAT_HEAD}<Content>${'&amp;&#x4E00;&lt;'.repeat(2000)}</Content></xml>`,
                'lowercase-doctype': `<!doctype xml [<!entity a "b">]>${WECHAT_HEAD}</xml>`,
            };
            if (how === 'gzip-laughs') {
                // Compressed: the cap counts inflated bytes, and the DTD is refused before any parsing.
                const text = `${laughs}${WECHAT_HEAD}<Content>${'&lol9;'.repeat(20_000)}</Content></xml>`;
                return { label: 'gzipped billion laughs', contentType: XML_TYPE, headers: [['Content-Encoding', 'gzip']], body: gzipSync(Buffer.from(text)) };
            }
            // References without a DTD are never resolved: the message is read with them as its text.
            const readable = how === 'undeclared-reference' || how === 'many-references';
            return { label: `entity attack (${how})`, contentType: XML_TYPE, readable, body: Buffer.from(texts[how] ?? '') };
        }),

    xmlWrongType: () =>
        // Elements where WeChat sends text, required fields missing or repeated, a root that is not one <xml>.
        fc.constantFrom('msgtype-element', 'from-element', 'repeated-msgtype', 'missing-from', 'missing-msgtype', 'event-element', 'eventkey-element', 'root-text', 'root-repeated', 'other-root', 'empty-xml').map((how) => {
            const base = '<ToUserName>gh_fuzz</ToUserName><CreateTime>1764547200</CreateTime>';
            const texts: Record<string, string> = {
                'msgtype-element': `<xml>${base}<FromUserName>oFuzzOwner1</FromUserName><MsgType><text>1</text></MsgType><Content>您好</Content></xml>`,
                'from-element': `<xml>${base}<FromUserName><id>oFuzzOwner1</id></FromUserName><MsgType>text</MsgType><Content>您好</Content></xml>`,
                'repeated-msgtype': `<xml>${base}<FromUserName>oFuzzOwner1</FromUserName><MsgType><a>x</a></MsgType><MsgType>text</MsgType><Content>您好</Content></xml>`,
                'missing-from': `<xml>${base}<MsgType>text</MsgType><Content>您好</Content></xml>`,
                'missing-msgtype': `<xml>${base}<FromUserName>oFuzzOwner1</FromUserName><Content>您好</Content></xml>`,
                'event-element': `<xml>${base}<FromUserName>oFuzzOwner1</FromUserName><MsgType>event</MsgType><Event><subscribe/></Event></xml>`,
                'eventkey-element': `<xml>${base}<FromUserName>oFuzzOwner1</FromUserName><MsgType>event</MsgType><Event>CLICK</Event><EventKey><k>repair</k></EventKey></xml>`,
                'root-text': '<xml>您好</xml>',
                'root-repeated': `<xml>${base}</xml><xml>${base}</xml>`,
                'other-root': `<message>${base}<FromUserName>o</FromUserName><MsgType>text</MsgType></message>`,
                'empty-xml': '<xml/>',
            };
            return { label: `XML of the wrong shape (${how})`, contentType: XML_TYPE, body: Buffer.from(texts[how] ?? '') };
        }),

    wrongTypes: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.array(fc.tuple(fc.constantFrom('type', 'channelId', 'conversation', 'from', 'text', 'serviceUrl', 'status', 'note', 'followUp', 'conversationId', 'dueDate', 'remindAt', 'channelData', 'deliveryMode'), wrongType), { minLength: 1, maxLength: 4 })).map(([body, swaps]) => {
            const twisted = { ...body, ...Object.fromEntries(swaps) };
            return { label: `wrong types ${JSON.stringify(twisted).slice(0, 160)}`, body: Buffer.from(JSON.stringify(twisted)) };
        }),

    wholeBodyOfWrongType: () => fc.oneof(wrongType.map((v) => JSON.stringify(v) ?? 'null'), fc.constantFrom('null', '[]', '0', '"text"', 'true', '[{"type":"message"}]')).map((text) => ({ label: `body ${text.slice(0, 80)}`, body: Buffer.from(text) })),

    prototypeKeys: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.constantFrom('__proto__', 'constructor', 'prototype')).map(([body, key]) => {
            // Written as text: JSON.stringify cannot produce a "__proto__" key from an object literal.
            const inner = JSON.stringify(body).slice(1, -1);
            const text = `{"${key}":{"polluted":true,"isAdmin":true,"status":"closed"},"channelData":{"${key}":{"owner":{"name":"x"}},"owner":{"__proto__":{"phone":"1"}}}${inner ? `,${inner}` : ''}}`;
            return { label: `prototype key ${key}`, body: Buffer.from(text) };
        }),

    deepNesting: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('array', 'object')).map(([body, depth, shape]) => {
            const open = shape === 'array' ? '[' : '{"a":';
            const close = shape === 'array' ? ']' : '}';
            const nest = `${open.repeat(depth)}1${close.repeat(depth)}`;
            const inner = JSON.stringify(body).slice(1, -1);
            return { label: `JSON nested ${depth} deep (${shape}s) in channelData/value`, body: Buffer.from(`{${inner ? `${inner},` : ''}"channelData":${nest},"value":${nest}}`) };
        }),

    oddText: (route, target) =>
        fc.tuple(plausibleBody(route, target), oddString, fc.boolean()).map(([body, odd, raw]) => {
            const twisted = { ...body, text: odd, note: odd, conversationId: odd };
            let text = JSON.stringify(twisted);
            // Raw control characters and lone surrogates inside the JSON text itself (invalid JSON / invalid UTF-8).
            if (raw) text = text.replace('"text":"', '"text":"\u0000\u0001\r\n\ud800');
            return { label: `control characters and lone surrogates${raw ? ' (raw)' : ''} ${JSON.stringify(odd).slice(0, 80)}`, body: Buffer.from(text) };
        }),

    malformedJson: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.constantFrom('truncate', 'trailing', 'bom', 'comments', 'single-quotes', 'nan', 'dup-keys', 'bignum', 'bad-escape', 'invalid-utf8', 'empty')).map(([body, how]) => {
            const json = JSON.stringify(body);
            const texts: Record<string, Buffer> = {
                truncate: Buffer.from(json.slice(0, Math.max(1, json.length >> 1))),
                trailing: Buffer.from(`${json}}}]]garbage`),
                bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]),
                comments: Buffer.from(`/* c */${json}// c`),
                'single-quotes': Buffer.from(json.replace(/"/g, "'")),
                nan: Buffer.from(`{"text":NaN,"a":Infinity,"b":undefined}`),
                'dup-keys': Buffer.from(`{"type":"message","type":{"x":1},"text":"a","text":null${json.length > 2 ? `,${json.slice(1, -1)}` : ''}}`),
                bignum: Buffer.from(`{"birthYear":1e400,"n":-0,"m":123456789012345678901234567890${json.length > 2 ? `,${json.slice(1, -1)}` : ''}}`),
                'bad-escape': Buffer.from(`{"text":"\\x41\\u12\\uZZZZ\\"}`),
                'invalid-utf8': Buffer.concat([Buffer.from(json.slice(0, -2)), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe]), Buffer.from('"}')]),
                empty: Buffer.alloc(0),
            };
            return { label: `malformed JSON (${how})`, body: texts[how] ?? Buffer.alloc(0) };
        }),

    charset: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.constantFrom('utf-16le', 'gbk-bytes', 'latin1', 'bogus', 'utf-32')).map(([body, how]) => {
            const json = JSON.stringify({ ...body, text: '您好，电梯坏了' });
            const bodies: Record<string, [string, Buffer]> = {
                'utf-16le': ['application/json; charset=utf-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])],
                // What GBK text looks like to a UTF-8 reader: high bytes that are not valid UTF-8.
                'gbk-bytes': ['application/json; charset=gbk', Buffer.from(json.replace('您好，电梯坏了', '\u00c4\u00fa\u00ba\u00c3'), 'latin1')],
                latin1: ['application/json; charset=iso-8859-1', Buffer.from(json, 'latin1')],
                bogus: ['application/json; charset="; DROP', Buffer.from(json)],
                'utf-32': ['application/json; charset=utf-32', Buffer.from(json, 'utf16le')],
            };
            const [contentType, bytes] = bodies[how] ?? ['application/json', Buffer.from(json)];
            return { label: `wrong charset (${how})`, contentType, body: bytes };
        }),

    contentType: (route, target) =>
        fc
            .tuple(plausibleBody(route, target), fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', 'APPLICATION/JSON', 'application/json, text/plain', 'application/jsonp', '*/*', 'application/json; ' + 'x'.repeat(4000)))
            .map(([body, contentType]) => {
                const payload = contentType?.startsWith('application/x-www') ? 'type=message&__proto__[polluted]=1&text=%E6%82%A8' : contentType?.startsWith('multipart') ? '--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nhi\r\n--x--\r\n' : JSON.stringify(body);
                return { label: `content type ${String(contentType).slice(0, 60)}`, contentType, body: Buffer.from(payload) };
            }),

    encodingGarbage: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.constantFrom('gzip', 'deflate', 'x-gzip', 'br', 'compress', 'gzip, deflate', 'identity', 'bogus'), fc.constantFrom('garbage', 'truncated', 'raw-deflate', 'plain'), garbageBytes).map(([body, encoding, how, garbage]) => {
            const json = Buffer.from(JSON.stringify(body));
            const bytes = how === 'garbage' ? garbage : how === 'truncated' ? gzipSync(json).subarray(0, 12) : how === 'raw-deflate' ? deflateRawSync(json) : json;
            return { label: `Content-Encoding: ${encoding} with ${how} bytes (${bytes.length} B)`, headers: [['Content-Encoding', encoding]], body: bytes };
        }),

    encodingValid: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.constantFrom('gzip', 'deflate')).map(([body, encoding]) => {
            const json = Buffer.from(JSON.stringify(body));
            return { label: `valid ${encoding} body`, headers: [['Content-Encoding', encoding]], body: encoding === 'gzip' ? gzipSync(json) : deflateSync(json) };
        }),

    compressionBomb: (_route, _target, options) =>
        fc.tuple(fc.constantFrom<'gzip' | 'deflate'>('gzip', 'deflate'), fc.constantFrom(...options.bombBytes)).map(([encoding, inflated]) => {
            const bytes = bomb(encoding, inflated);
            return { label: `${encoding} bomb: ${kib(bytes.length)} on the wire, ${kib(inflated)} inflated`, headers: [['Content-Encoding', encoding]], body: bytes, inflated };
        }),

    lengthLie: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.constantFrom('short', 'long', 'negative', 'not-a-number', 'two-lengths', 'length-and-chunked', 'bad-chunk-size', 'chunked-no-end', 'chunked')).map(([body, how]) => {
            const json = Buffer.from(JSON.stringify(body));
            const n = json.length;
            const asIs = (headers: [string, string][], bytes: Buffer, hangs = false): Draft => ({ label: `framing: ${how}`, headers, body: bytes, framing: 'as-is', hangs });
            switch (how) {
                case 'short':
                    return asIs([['Content-Length', String(Math.max(0, n >> 1))]], json);
                case 'long':
                    return asIs([['Content-Length', String(n + 1000)]], json, true);
                case 'negative':
                    return asIs([['Content-Length', '-1']], json);
                case 'not-a-number':
                    return asIs([['Content-Length', '12abc']], json);
                case 'two-lengths':
                    return asIs([['Content-Length', String(n)], ['Content-Length', String(n + 5)]], json);
                case 'length-and-chunked':
                    return asIs([['Content-Length', String(n)], ['Transfer-Encoding', 'chunked']], Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), json, Buffer.from('\r\n0\r\n\r\n')]));
                case 'bad-chunk-size':
                    return asIs([['Transfer-Encoding', 'chunked']], Buffer.concat([Buffer.from('zz\r\n'), json, Buffer.from('\r\n0\r\n\r\n')]));
                case 'chunked-no-end':
                    return asIs([['Transfer-Encoding', 'chunked']], Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), json, Buffer.from('\r\n')]), true);
                default:
                    return { label: 'framing: chunked (valid)', body: json, framing: 'chunked' };
            }
        }),

    hugeBody: (route, target, options) =>
        // Sizes spread evenly on a log scale: most huge bodies are a few MiB, a few reach the maximum.
        fc.tuple(plausibleBody(route, target), fc.double({ min: Math.log2(300 * 1024), max: Math.log2(Math.max(300 * 1024, options.maxBodyBytes)), noNaN: true }), fc.constantFrom('json-text', 'garbage', 'many-keys')).map(([body, log2, how]) => {
            const bytes = Math.round(2 ** log2);
            const inner = JSON.stringify(body).slice(1, -1);
            const huge: RepeatedBody =
                how === 'json-text'
                    ? { head: Buffer.from(`{${inner ? `${inner},` : ''}"text":"`), fill: Buffer.from('电梯坏了'), tail: Buffer.from('"}'), bytes }
                    : how === 'many-keys'
                      ? { head: Buffer.from('{'), fill: Buffer.from('"k":1,'), tail: Buffer.from('"z":1}'), bytes }
                      : { head: Buffer.alloc(0), fill: Buffer.from('\u0000\u00ff garbage '), tail: Buffer.alloc(0), bytes };
            return { label: `huge body (${how}, ${kib(bytes)})`, body: huge };
        }),

    oddMethod: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.constantFrom('PUT', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'FOO', 'post', 'GET', 'PATCH', 'POST')).map(([body, method]) => ({ label: `method ${method}`, method, body: Buffer.from(JSON.stringify(body)) })),

    hostileHeaders: (route, target) =>
        fc.tuple(plausibleBody(route, target), fc.constantFrom('huge-header', 'many-headers', 'expect-continue', 'bad-accept', 'forwarded', 'no-host', 'header-injection')).map(([body, how]) => {
            const headers: Record<string, [string, string][]> = {
                'huge-header': [['X-Big', 'x'.repeat(20_000)]],
                'many-headers': Array.from({ length: 300 }, (_, i): [string, string] => [`X-H${i}`, String(i)]),
                'expect-continue': [['Expect', '100-continue']],
                'bad-accept': [['Accept', 'application/json;q=nope, */*;;;'], ['Accept-Encoding', 'gzip;q=2, *;q=-1'], ['Accept-Charset', 'gbk']],
                forwarded: [['X-Forwarded-For', '1.2.3.4, ::1, not-an-ip, ' + '9'.repeat(300)], ['Forwarded', 'for="[::1]";proto=gopher']],
                'no-host': [],
                'header-injection': [['X-Id', '__proto__'], ['Cookie', '__proto__=1; constructor=2']],
            };
            return { label: `headers: ${how}`, headers: headers[how] ?? [], noHost: how === 'no-host', body: Buffer.from(JSON.stringify(body)) };
        }),

    hostileIdsInBody: (route, target) =>
        fc.tuple(plausibleBody(route, target), hostileId(), hostileId()).map(([body, a, b]) => {
            const twisted = { ...body, conversation: { id: a }, from: { id: b }, conversationId: a, channelId: b, handledBy: a };
            return { label: `hostile ids ${JSON.stringify([a.slice(0, 40), b.slice(0, 40)])} (${a.length}/${b.length} chars)`, body: Buffer.from(JSON.stringify(twisted)) };
        }),
};

export const ATTACK_NAMES = Object.keys(ATTACKS);

/** The valid credential of each kind, as the request carries it (a header name and value). */
function credentialHeader(credential: FuzzCredential, target: FuzzTarget, options: FuzzOptions): [string, string] {
    switch (credential) {
        case 'staff':
            return ['Authorization', `Bearer ${options.token}`];
        case 'directLineSecret':
            return ['Authorization', `Bearer ${FUZZ_DIRECT_LINE_SECRET}`];
        case 'directLineToken':
            return ['Authorization', `Bearer ${target.directLineToken}`];
        case 'chatCookie':
            return ['Cookie', target.chatCookie];
    }
}

/**
 * What a route is sent as credentials: mostly its valid one (to reach the handler), else every wrong kind, the
 * other valid kinds included (a staff token on Direct Line, the secret where a token is due).
 */
function authorization(route: FuzzRoute, target: FuzzTarget, options: FuzzOptions): fc.Arbitrary<[string, [string, string] | null]> {
    if (!route.credential) {
        return fc.constantFrom<[string, [string, string] | null]>(['no credential', null], ['no credential', null], ['junk JWT', ['Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.']]);
    }
    const valid = credentialHeader(route.credential, target, options);
    const [name, value] = valid;
    const others = (['staff', 'directLineSecret', 'directLineToken'] as const).filter((c) => c !== route.credential).map((c): [string, [string, string]] => [`${c} instead`, credentialHeader(c, target, options)]);
    const variants: [string, [string, string] | null][] = [
        ['valid credential', valid],
        ['valid credential', valid],
        ['valid credential', valid],
        ['no credential', null],
        ...others,
        ['wrong token', ['Authorization', 'Bearer wrong-token-0000000000']],
        ['8 KB token', ['Authorization', `Bearer ${'A'.repeat(8000)}`]],
        ['empty bearer', ['Authorization', 'Bearer ']],
        ['basic auth', ['Authorization', 'Basic YWxpY2U6cGFzcw==']],
        ...(name === 'Authorization'
            ? ([
                  ['lower-case scheme', [name, value.replace(/^Bearer/, 'bearer')]],
                  ['extra spaces', [name, value.replace(/^Bearer /, 'Bearer   ') + '  ']],
                  ['tampered token', [name, `${value.slice(0, -2)}${value.endsWith('A') ? 'B' : 'A'}=`]],
              ] as [string, [string, string]][])
            : ([
                  ['wrong cookie', [name, 'linli_chat_resume=not-the-key']],
                  ['cookie twice', [name, `${value}; ${value.replace(/=.*/, '=x')}`]],
              ] as [string, [string, string]][])),
    ];
    return fc.constantFrom(...variants);
}

function query(route: FuzzRoute, target: FuzzTarget): fc.Arbitrary<string> {
    const hostile = fc.dictionary(fc.constantFrom('status', 'limit', 'cursor', 'month', '__proto__', 'constructor[prototype]', 'a[]'), fc.oneof(oddString, hostileId(2048)), { maxKeys: 3 });
    const params = route.query ? fc.oneof(route.query(target), hostile) : fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, hostile);
    return params.map((p) => {
        const q = new URLSearchParams(p as Record<string, string>).toString();
        return q ? `?${q}` : '';
    });
}

/** Case `index` of a run with `seed`: the same seed and index always give the same request. */
export function fuzzCase(seed: number, index: number, target: FuzzTarget, options: FuzzOptions): FuzzCase {
    // Every attack on the first route (the owners' endpoint), then every attack on the next, and round again: the
    // body-reading routes come first in the table, so even a short run gives each of them every attack.
    const attack = ATTACK_NAMES[index % ATTACK_NAMES.length] as string;
    const route = FUZZ_ROUTES[Math.floor(index / ATTACK_NAMES.length) % FUZZ_ROUTES.length] as FuzzRoute;
    const make = ATTACKS[attack] as (typeof ATTACKS)[string];
    const arbitrary = fc.tuple(make(route, target, options), filledPath(route, target), query(route, target), authorization(route, target, options));
    // One fast-check sample per case, from a seed of its own: any case can be replayed alone (`--case`).
    const [[draft, path, search, [authLabel, auth]]] = fc.sample(arbitrary, { seed: (seed ^ Math.imul(index + 1, 0x9e3779b1)) | 0, numRuns: 1 }) as [[Draft, string, string, [string, [string, string] | null]]];
    const headers: [string, string][] = draft.noHost ? [] : [['Host', '127.0.0.1']];
    const contentType = draft.contentType === undefined ? (route.xml ? XML_TYPE : route.multipart ? MULTIPART_TYPE : JSON_TYPE) : draft.contentType;
    if (contentType !== null) headers.push(['Content-Type', contentType]);
    if (auth !== null) headers.push(auth);
    headers.push(...(draft.headers ?? []));
    const method = draft.method ?? route.method;
    const fullPath = `${path}${search}`;
    return {
        index,
        attack,
        route,
        label: `${method} ${fullPath.slice(0, 120)}${fullPath.length > 120 ? '…' : ''} · ${authLabel} · ${draft.label}`,
        heft: draft.inflated ?? (Buffer.isBuffer(draft.body) ? draft.body.length : (draft.body?.bytes ?? 0)),
        readable: draft.readable ?? false,
        request: { method, path: fullPath, headers, body: draft.body ?? Buffer.alloc(0), framing: draft.framing ?? 'length', hangs: draft.hangs ?? false },
    };
}
