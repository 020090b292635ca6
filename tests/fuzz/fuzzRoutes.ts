import fc from 'fast-check';
import { wechatSignature } from '../../adapters/wechat/WeChatCrypto';
import { fieldValue, hostileId, oddString } from './hostileValues';

/** The Official Account the fuzzed server is configured with (plain mode), so signed requests reach the XML parser. */
export const FUZZ_WECHAT = { token: 'fuzzwechattoken01', appId: 'wx0123456789abcdef', secret: 'fuzz-wechat-secret' } as const;

/** What the fuzz knows of the server it attacks: real ids (seeded before the barrage) and its loopback channel. */
export interface FuzzTarget {
    ticketIds: string[];
    conversationIds: string[];
    /** serviceUrls on the fuzz's own loopback channel: answering at once, slowly, or with errors. */
    serviceUrls: string[];
}

/**
 * One route under attack. `path` may hold `:ticketId` or `:conversationId` (filled with real and hostile ids);
 * `body` gives a plausible body the attacks then twist (absent: the route reads none, and gets one anyway);
 * `query` gives plausible query parameters.
 */
export interface FuzzRoute {
    method: string;
    path: string;
    /** Staff routes get valid, missing, wrong and malformed bearer tokens. */
    staff: boolean;
    body?: (target: FuzzTarget) => fc.Arbitrary<Record<string, unknown>>;
    query?: (target: FuzzTarget) => fc.Arbitrary<Record<string, string>>;
    /** The route reads WeChat's XML (text/xml) rather than JSON: plausible bodies go as XML, with that content type. */
    xml?: boolean;
}

const someOf = <T>(values: readonly T[], fallback: T): fc.Arbitrary<T> => (values.length ? fc.constantFrom(...values) : fc.constant(fallback));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** Drops the keys whose value came out undefined (fast-check's optional fields). */
function defined(record: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

const account = (id: fc.Arbitrary<unknown>) => fc.oneof(fc.record({ id, name: maybe(fieldValue(fc.constant('业主'))) }).map(defined), fieldValue(fc.constant({ id: 'owner' })));

/** A Bot Framework activity, mostly plausible, every field sometimes hostile or of the wrong type. */
const activity = (t: FuzzTarget) =>
    fc
        .record({
            type: fieldValue(fc.constantFrom('message', 'message', 'message', 'conversationUpdate', 'event', 'invoke', 'typing', 'endOfConversation', 'installationUpdate', 'messageReaction')),
            channelId: fieldValue(fc.constantFrom('emulator', 'webchat', 'msteams', 'directline', 'wechat', 'test')),
            conversation: fc.oneof(fc.record({ id: fieldValue(fc.oneof(someOf(t.conversationIds, 'fuzz'), fc.uuid())) }), fieldValue(fc.constant({ id: 'x' }))),
            from: account(fieldValue(fc.constantFrom('owner-1', 'owner-2'))),
            recipient: maybe(account(fc.constant('linli'))),
            deliveryMode: maybe(fieldValue(fc.constantFrom('expectReplies', 'expectReplies', 'normal', 'notification'))),
            // Loopback only: the fuzz's own channel, a closed port, or something that is not a URL at all.
            serviceUrl: maybe(fieldValue(fc.oneof({ weight: 4, arbitrary: someOf(t.serviceUrls, 'http://127.0.0.1:9') }, fc.constantFrom('http://127.0.0.1:9', 'http://[::1]:9/', 'not a url', 'file:///etc/passwd', 'http://')))),
            text: maybe(fieldValue(fc.constantFrom('您好', '电梯坏了三天了', '家里漏水了', '我要转人工', '物业费怎么交', '我的报修怎么样了', '算了'))),
            id: maybe(fieldValue(fc.uuid())),
            replyToId: maybe(fieldValue(fc.uuid())),
            timestamp: maybe(fieldValue(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()))),
            locale: maybe(fieldValue(fc.constantFrom('zh-CN', 'en-US'))),
            value: maybe(fc.jsonValue({ maxDepth: 3 })),
            name: maybe(fieldValue(fc.constantFrom('handoff.initiate', 'webchat/join'))),
            attachments: maybe(fieldValue(fc.array(fc.record({ contentType: fieldValue(fc.constant('image/png')), contentUrl: fieldValue(fc.constant('http://127.0.0.1:9/x.png')) }), { maxLength: 3 }))),
            entities: maybe(fieldValue(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }))),
            channelData: maybe(
                fieldValue(
                    fc.record({
                        owner: fieldValue(
                            fc
                                .record({
                                    name: maybe(fieldValue(fc.constantFrom('张三', '李'))),
                                    phone: maybe(fieldValue(fc.constantFrom('13812345678', '１３８１２３４５６７８'))),
                                    building: maybe(fieldValue(fc.constant('5'))),
                                    unit: maybe(fieldValue(fc.constant('2'))),
                                    room: maybe(fieldValue(fc.constant('1502'))),
                                    birthYear: maybe(fieldValue(fc.integer({ min: 1900, max: 2030 }))),
                                })
                                .map(defined),
                        ),
                    }),
                ),
            ),
        })
        .map(defined);

const ticketPatch = () =>
    fc
        .record({
            status: maybe(fieldValue(fc.constantFrom('received', 'in_progress', 'replied', 'revisited', 'closed'))),
            handledBy: maybe(fieldValue(fc.constant('工程部小王'))),
            department: maybe(fieldValue(fc.constant('工程部'))),
            note: maybe(fieldValue(fc.constant('已派工'))),
            followUp: maybe(
                fieldValue(
                    fc
                        .record({
                            dueAt: maybe(fieldValue(fc.constant('2026-12-02T10:00:00+08:00'))),
                            result: maybe(fieldValue(fc.record({ fixed: fieldValue(fc.boolean()), satisfaction: fieldValue(fc.integer({ min: 1, max: 5 })), comment: fieldValue(fc.constant('好')) }))),
                        })
                        .map(defined),
                ),
            ),
        })
        .map(defined);

const reminder = (t: FuzzTarget) =>
    fc
        .record({
            channelId: fieldValue(fc.constantFrom('emulator', 'webchat')),
            conversationId: fieldValue(someOf(t.conversationIds, 'fuzz')),
            dueDate: fieldValue(fc.constantFrom('2026-12-30', '2026-02-30', '9999-99-99')),
            remindAt: maybe(fieldValue(fc.constantFrom('2026-12-02T10:00:00+08:00', '1970-01-01T00:00:00Z', '+275760-09-13T00:00:00Z'))),
        })
        .map(defined);

const agentMessage = () => fc.record({ text: fieldValue(fc.constantFrom('您好，我是客服小王', '马上处理')) });

const queryValue = (ordinary: fc.Arbitrary<string>) => fc.oneof({ weight: 2, arbitrary: ordinary }, oddString, hostileId(4096));

const ticketQuery = () =>
    fc
        .record({
            status: maybe(queryValue(fc.constantFrom('received', 'closed'))),
            category: maybe(queryValue(fc.constantFrom('facility', 'fee'))),
            kind: maybe(queryValue(fc.constantFrom('repair', 'emergency'))),
            limit: maybe(queryValue(fc.integer({ min: -5, max: 500 }).map(String))),
            cursor: maybe(queryValue(fc.base64String({ maxLength: 24 }))),
        })
        .map((q) => defined(q) as Record<string, string>);

const handoffQuery = () =>
    fc
        .record({
            status: maybe(queryValue(fc.constantFrom('queued', 'active', 'closed'))),
            limit: maybe(queryValue(fc.integer({ min: -5, max: 500 }).map(String))),
            cursor: maybe(queryValue(fc.base64String({ maxLength: 24 }))),
        })
        .map((q) => defined(q) as Record<string, string>);

/** A WeChat message, mostly plausible (text, voice, location, image, events), every field sometimes hostile. */
const wechatMessage = () =>
    fc
        .record({
            ToUserName: fc.constantFrom('gh_fuzz', ''),
            FromUserName: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('oFuzzOwner1', 'oFuzzOwner2') }, { weight: 1, arbitrary: hostileId(4096) }),
            CreateTime: fc.constantFrom(String(Math.floor(Date.UTC(2026, 11, 1) / 1000)), '0', '-1', 'abc', '99999999999999999999'),
            MsgType: fc.constantFrom('text', 'text', 'voice', 'image', 'location', 'event', 'video', 'link', 'bogus', ''),
            Content: maybe(fc.oneof(fc.constantFrom('您好', '电梯坏了三天了', '我要转人工', '1', '１'), oddString)),
            Recognition: maybe(fc.constantFrom('家里漏水了', '')),
            MediaId: maybe(fc.constantFrom('media-1', '')),
            PicUrl: maybe(fc.constantFrom('http://127.0.0.1:9/p.jpg', 'javascript:alert(1)')),
            Label: maybe(fc.constantFrom('5号楼门口', '')),
            Location_X: maybe(fc.constantFrom('31.2', 'NaN', '1e400')),
            Event: maybe(fc.constantFrom('subscribe', 'unsubscribe', 'CLICK', 'VIEW', 'LOCATION', 'SCAN', 'bogus')),
            EventKey: maybe(fc.constantFrom('repair', 'fee', 'nope', '')),
            MsgId: maybe(fc.constantFrom('23456789012345678', '18446744073709551617', '-1', 'x')),
        })
        .map(defined);

/** Signed as WeChat signs (token, timestamp, nonce), at the time of sending; or unsigned, forged, stale, or claiming aes. */
const wechatQuery = () =>
    fc.tuple(fc.constantFrom('signed', 'signed', 'signed', 'signed', 'signed', 'signed', 'unsigned', 'forged', 'stale', 'aes'), fc.integer({ min: 0, max: 2 ** 31 - 1 })).map(([how, n]) => {
        const nonce = String(n);
        const now = Math.floor(Date.now() / 1000);
        const timestamp = String(how === 'stale' ? now - 3600 : now);
        const signature = how === 'forged' ? '0'.repeat(40) : wechatSignature(FUZZ_WECHAT.token, timestamp, nonce);
        if (how === 'unsigned') return { timestamp, nonce };
        return { signature, timestamp, nonce, openid: 'oFuzzOwner1', ...(how === 'aes' ? { encrypt_type: 'aes', msg_signature: signature } : {}) };
    });

const monthQuery = () => fc.record({ month: queryValue(fc.constantFrom('2026-11', '2026-13', '0000-00')) });

/**
 * Every route the server has, read from bot/server.ts and bot/http/*. New routes (Direct Line under /v3/directline,
 * /api/wechat, /chat/token, rehearsals) get a row here, with a plausible body if they read one.
 */
export const FUZZ_ROUTES: FuzzRoute[] = [
    { method: 'POST', path: '/api/messages', staff: false, body: activity },
    { method: 'POST', path: '/api/wechat', staff: false, body: wechatMessage, query: wechatQuery, xml: true },
    { method: 'PATCH', path: '/api/tickets/:ticketId', staff: true, body: ticketPatch },
    { method: 'POST', path: '/api/reminders/payment', staff: true, body: reminder },
    { method: 'POST', path: '/api/handoffs/:conversationId/accept', staff: true },
    { method: 'POST', path: '/api/handoffs/:conversationId/messages', staff: true, body: agentMessage },
    { method: 'POST', path: '/api/handoffs/:conversationId/release', staff: true },
    { method: 'GET', path: '/api/tickets', staff: true, query: ticketQuery },
    { method: 'GET', path: '/api/tickets/:ticketId', staff: true },
    { method: 'GET', path: '/api/handoffs', staff: true, query: handoffQuery },
    { method: 'GET', path: '/api/handoffs/:conversationId/transcript', staff: true },
    { method: 'GET', path: '/api/handoffs/feed', staff: true },
    { method: 'GET', path: '/api/reports/complaints', staff: true, query: monthQuery },
    { method: 'GET', path: '/api/staff/me', staff: true },
    { method: 'GET', path: '/healthz', staff: false },
    { method: 'GET', path: '/readyz', staff: false },
    { method: 'GET', path: '/metrics', staff: false },
    { method: 'GET', path: '/agent', staff: false },
    { method: 'GET', path: '/api/wechat', staff: false, query: () => wechatQuery().map((q) => ({ ...q, echostr: 'fuzz-echo' })) },
];

/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on those; they go as U+FFFD). */
function percentEncode(value: string): string {
    return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** The route's path with its parameters filled: a real id (weighted) or a hostile one, URL-encoded or raw. */
export function filledPath(route: FuzzRoute, target: FuzzTarget): fc.Arbitrary<string> {
    const param = (real: string[]) =>
        fc.oneof(
            { weight: 2, arbitrary: someOf(real, 'none').map(percentEncode) },
            { weight: 3, arbitrary: hostileId().map(percentEncode) },
            // Raw: what a client that does not encode sends (slashes, dots, percent signs as they are).
            { weight: 1, arbitrary: fc.constantFrom('../../etc/passwd', '..%2f..%2f', '%', '%zz', '*', '__proto__', 'a/b/c', '%00', '.') },
        );
    return fc.tuple(param(target.ticketIds), param(target.conversationIds)).map(([ticket, conversation]) => route.path.replace(':ticketId', ticket).replace(':conversationId', conversation));
}
