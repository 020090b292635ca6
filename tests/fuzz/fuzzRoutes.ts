import fc from 'fast-check';
import { wechatSignature } from '../../adapters/wechat/WeChatCrypto';
import { fieldValue, hostileId, oddString } from './hostileValues';

/** The Official Account the fuzzed server is configured with (plain mode), so signed requests reach the XML parser. */
export const FUZZ_WECHAT = { token: 'fuzzwechattoken01', appId: 'wx0123456789abcdef', secret: 'fuzz-wechat-secret' } as const;

/** The Direct Line site secret of the fuzzed server (DIRECT_LINE_SECRET, at least 32 characters), so web chat is on. */
export const FUZZ_DIRECT_LINE_SECRET = 'fuzz-direct-line-secret-0123456789abcdef';

/** What the fuzz knows of the server it attacks: real ids (seeded before the barrage) and its loopback channel. */
export interface FuzzTarget {
    ticketIds: string[];
    conversationIds: string[];
    /** serviceUrls on the fuzz's own loopback channel: answering at once, slowly, or with errors. */
    serviceUrls: string[];
    /** The seeded Direct Line conversation (one: its token is good for it alone). */
    webConversationIds: string[];
    /** The Direct Line token of that conversation. */
    directLineToken: string;
    /** The owner page's conversation (POST /chat/token) and the resume cookie that page holds for it (name=value). */
    chatConversationIds: string[];
    chatCookie: string;
    rehearsalIds: string[];
    scenarioIds: string[];
}

/**
 * What a route's valid variant presents (its attacks also get missing, wrong and malformed ones): a staff bearer
 * token, the Direct Line site secret, the seeded conversation's Direct Line token, or the page's resume cookie.
 */
export type FuzzCredential = 'staff' | 'directLineSecret' | 'directLineToken' | 'chatCookie';

/**
 * One route under attack. `path` may hold `:ticketId`, `:conversationId`, `:webConversationId` or `:rehearsalId`
 * (filled with real and hostile ids);
 * `body` gives a plausible body the attacks then twist (absent: the route reads none, and gets one anyway);
 * `query` gives plausible query parameters.
 */
export interface FuzzRoute {
    method: string;
    path: string;
    /** The credential the route asks for (absent: none). */
    credential?: FuzzCredential;
    body?: (target: FuzzTarget) => fc.Arbitrary<Record<string, unknown>>;
    query?: (target: FuzzTarget) => fc.Arbitrary<Record<string, string>>;
    /** The route reads WeChat's XML (text/xml) rather than JSON: plausible bodies go as XML, with that content type. */
    xml?: boolean;
    /** The route reads a multipart upload (Web Chat's): plausible bodies go as an activity part and an image. */
    multipart?: boolean;
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

/** Sign-in: mostly the fuzz's own agent account, sometimes a wrong password or an unknown name. */
const signIn = () =>
    fc
        .record({
            name: fieldValue(fc.constantFrom('fuzzagent', 'fuzzagent', 'nobody', 'FUZZAGENT')),
            password: fieldValue(fc.constantFrom('fuzz-agent-password', 'wrong-password', '')),
        })
        .map(defined);

const staffRoles = () => fieldValue(fc.constantFrom(['agent'], ['supervisor', 'agent'], ['trainer'], [], ['janitor']));

const newAccount = () =>
    fc
        .record({
            name: fieldValue(fc.constantFrom('fuzzagent2', 'x', '客服', 'a'.repeat(33))),
            displayName: fieldValue(fc.constantFrom('客服小王', '', '王'.repeat(33))),
            password: fieldValue(fc.constantFrom('long-enough-password', 'short')),
            roles: staffRoles(),
            capacity: maybe(fieldValue(fc.constantFrom(1, 3, 0, 21, 1.5))),
            trainee: maybe(fieldValue(fc.boolean())),
        })
        .map(defined);

const accountChange = () =>
    fc
        .record({
            displayName: maybe(fieldValue(fc.constantFrom('客服小李', ''))),
            roles: maybe(staffRoles()),
            capacity: maybe(fieldValue(fc.constantFrom(2, 0, 99))),
            trainee: maybe(fieldValue(fc.boolean())),
            disabled: maybe(fieldValue(fc.constant(false))),
        })
        .map(defined);

const presence = () => fc.record({ status: fieldValue(fc.constantFrom('online', 'away', 'offline', 'busy')) });

const transfer = () => fc.record({ to: fieldValue(fc.constantFrom('fuzzagent', 'fuzz', 'nobody')), note: maybe(fieldValue(fc.constantFrom('业主是老人', '', '注'.repeat(2001)))) }).map(defined);

/** A ticket an agent opens for the owner, every field sometimes hostile or of the wrong type. */
const newTicket = (t: FuzzTarget) =>
    fc
        .record({
            kind: fieldValue(fc.constantFrom('complaint', 'repair', 'emergency', 'installment', 'callback', 'gossip')),
            category: fieldValue(fc.constantFrom('facility', 'service', 'fee', 'emergency', 'weather')),
            conversationId: fieldValue(fc.oneof(someOf(t.conversationIds, 'fuzz'), fc.uuid())),
            description: fieldValue(fc.constantFrom('厨房水管漏水', '', '漏'.repeat(2001))),
            location: maybe(fieldValue(fc.constantFrom('3栋2单元502', null))),
            contact: maybe(fieldValue(fc.record({ name: maybe(fieldValue(fc.constant('王女士'))), phone: maybe(fieldValue(fc.constantFrom('13800000000', '1'.repeat(40)))) }).map(defined))),
            request: maybe(fieldValue(fc.constantFrom('尽快上门', null))),
        })
        .map(defined);

const queryValue = (ordinary: fc.Arbitrary<string>) => fc.oneof({ weight: 2, arbitrary: ordinary }, oddString, hostileId(4096));

/** One owner's past conversations: a seeded owner, nobody, or hostile ids and limits. */
const ownerHistoryQuery = () =>
    fc
        .record({
            channelId: maybe(queryValue(fc.constantFrom('emulator', 'webchat', 'wechat'))),
            ownerId: maybe(queryValue(fc.constantFrom('fuzz-owner-0', 'nobody'))),
            limit: maybe(queryValue(fc.integer({ min: -5, max: 500 }).map(String))),
        })
        .map((q) => defined(q) as Record<string, string>);

const ticketQuery = () =>
    fc
        .record({
            status: maybe(queryValue(fc.constantFrom('received', 'closed'))),
            category: maybe(queryValue(fc.constantFrom('facility', 'fee'))),
            kind: maybe(queryValue(fc.constantFrom('repair', 'emergency'))),
            ownerId: maybe(queryValue(fc.constantFrom('fuzz-owner-0', 'nobody'))),
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

/** tokens/generate as the estate's server calls it: the owner's id and profile, every field sometimes hostile. */
const tokenRequest = () =>
    fc
        .record({
            user: maybe(fieldValue(fc.record({ id: maybe(fieldValue(fc.constantFrom('owner-5-2-1502', 'a'.repeat(65), 'bad id'))), name: maybe(fieldValue(fc.constantFrom('张三', '李'))) }).map(defined))),
            profile: maybe(
                fieldValue(
                    fc
                        .record({
                            name: maybe(fieldValue(fc.constantFrom('张三', '李'.repeat(65)))),
                            phone: maybe(fieldValue(fc.constantFrom('13812345678', '１３８１２３４５６７８'))),
                            building: maybe(fieldValue(fc.constant('5'))),
                            unit: maybe(fieldValue(fc.constant('2'))),
                            room: maybe(fieldValue(fc.constant('1502'))),
                        })
                        .map(defined),
                ),
            ),
        })
        .map(defined);

/** An activity as Web Chat posts it: message, event or typing mostly, with its own client ids. */
const webActivity = () =>
    fc
        .record({
            type: fieldValue(fc.constantFrom('message', 'message', 'message', 'event', 'typing', 'conversationUpdate', 'invoke', 'endOfConversation')),
            text: maybe(fieldValue(fc.constantFrom('您好', '电梯坏了三天了', '家里漏水了', '我要转人工', '算了'))),
            textFormat: maybe(fieldValue(fc.constantFrom('plain', 'markdown'))),
            locale: maybe(fieldValue(fc.constantFrom('zh-CN', 'en-US'))),
            name: maybe(fieldValue(fc.constantFrom('webchat/join', 'handoff.initiate'))),
            value: maybe(fc.jsonValue({ maxDepth: 3 })),
            channelData: maybe(fieldValue(fc.record({ clientActivityID: maybe(fieldValue(fc.uuid())), clientTimestamp: maybe(fieldValue(fc.constant('2026-12-01T08:00:00Z'))) }).map(defined))),
            from: maybe(account(fc.constantFrom('owner-1', 'linli'))),
        })
        .map(defined);

/** The activity part of an upload (its text and channelData). */
const uploadActivity = () =>
    fc.record({ type: fc.constant('message'), text: maybe(fieldValue(fc.constantFrom('漏水的照片', ''))), channelData: maybe(fieldValue(fc.record({ clientActivityID: fc.uuid() }))) }).map(defined);

const chatTokenRequest = (t: FuzzTarget) => fc.record({ conversationId: maybe(fieldValue(fc.oneof(someOf(t.chatConversationIds, 'none'), someOf(t.webConversationIds, 'none')))) }).map(defined);

const rehearsalStart = (t: FuzzTarget) =>
    fc
        .record({
            scenario: fieldValue(someOf(t.scenarioIds, 'none')),
            persona: maybe(fieldValue(fc.constantFrom('default', 'elderly', 'young', 'robot'))),
            seed: maybe(fieldValue(fc.oneof(fc.integer(), fc.constantFrom(1.5, -0, 2 ** 53, Number.MAX_VALUE)))),
        })
        .map(defined);

const rehearsalTurn = () => fc.record({ text: fieldValue(fc.constantFrom('您好，请问有什么可以帮您？', '我们马上派人去看', '这个不归我们管', ' ', '好'.repeat(1001))) });

const watermarkQuery = () => fc.record({ watermark: maybe(queryValue(fc.integer({ min: -5, max: 5000 }).map(String))) }).map((q) => defined(q) as Record<string, string>);

const traineeQuery = () => fc.record({ trainee: maybe(queryValue(fc.constantFrom('fuzz', ''))) }).map((q) => defined(q) as Record<string, string>);

const monthQuery = () =>
    fc
        .record({ month: queryValue(fc.constantFrom('2026-11', '2026-13', '0000-00')), format: maybe(queryValue(fc.constantFrom('json', 'csv', 'xml'))) })
        .map((q) => defined(q) as Record<string, string>);

/** The desk's reply library for a conversation: a handed-over one, or not. */
const deskQuery = (t: FuzzTarget) => fc.record({ conversationId: maybe(queryValue(someOf(t.conversationIds, 'fuzz'))) }).map((q) => defined(q) as Record<string, string>);

/**
 * Every route the server has, read from bot/server.ts, bot/http/* and adapters/*: a new route gets a row here, with a
 * plausible body if it reads one. The body-reading routes come first (see fuzzCase).
 */
export const FUZZ_ROUTES: FuzzRoute[] = [
    { method: 'POST', path: '/api/messages', body: activity },
    { method: 'POST', path: '/api/wechat', body: wechatMessage, query: wechatQuery, xml: true },
    { method: 'PATCH', path: '/api/tickets/:ticketId', credential: 'staff', body: ticketPatch },
    { method: 'POST', path: '/api/reminders/payment', credential: 'staff', body: reminder },
    { method: 'POST', path: '/api/handoffs/:conversationId/accept', credential: 'staff' },
    { method: 'POST', path: '/api/handoffs/:conversationId/messages', credential: 'staff', body: agentMessage },
    { method: 'POST', path: '/api/handoffs/:conversationId/release', credential: 'staff' },
    { method: 'POST', path: '/api/handoffs/:conversationId/transfer', credential: 'staff', body: transfer },
    { method: 'POST', path: '/api/handoffs/:conversationId/notes', credential: 'staff', body: agentMessage },
    { method: 'POST', path: '/api/tickets', credential: 'staff', body: newTicket },
    { method: 'POST', path: '/api/sessions', body: signIn },
    { method: 'POST', path: '/api/accounts', credential: 'staff', body: newAccount },
    { method: 'PATCH', path: '/api/accounts/fuzzagent', credential: 'staff', body: accountChange },
    { method: 'PUT', path: '/api/agents/me/presence', credential: 'staff', body: presence },
    { method: 'POST', path: '/v3/directline/tokens/generate', credential: 'directLineSecret', body: tokenRequest },
    { method: 'POST', path: '/v3/directline/tokens/refresh', credential: 'directLineToken' },
    { method: 'POST', path: '/v3/directline/conversations', credential: 'directLineToken' },
    { method: 'POST', path: '/v3/directline/conversations/:webConversationId/activities', credential: 'directLineToken', body: webActivity },
    { method: 'POST', path: '/v3/directline/conversations/:webConversationId/upload', credential: 'directLineToken', body: uploadActivity, multipart: true },
    { method: 'POST', path: '/chat/token', credential: 'chatCookie', body: chatTokenRequest },
    { method: 'POST', path: '/api/rehearsals', credential: 'staff', body: rehearsalStart },
    { method: 'POST', path: '/api/rehearsals/:rehearsalId/turns', credential: 'staff', body: rehearsalTurn },
    { method: 'POST', path: '/api/rehearsals/:rehearsalId/finish', credential: 'staff' },
    { method: 'GET', path: '/api/tickets', credential: 'staff', query: ticketQuery },
    { method: 'GET', path: '/api/owners/conversations', credential: 'staff', query: ownerHistoryQuery },
    { method: 'GET', path: '/api/tickets/:ticketId', credential: 'staff' },
    { method: 'GET', path: '/api/handoffs', credential: 'staff', query: handoffQuery },
    { method: 'GET', path: '/api/handoffs/:conversationId/transcript', credential: 'staff' },
    { method: 'GET', path: '/api/handoffs/feed', credential: 'staff' },
    { method: 'GET', path: '/api/reports/complaints', credential: 'staff', query: monthQuery },
    { method: 'GET', path: '/api/reports/complaints.csv', credential: 'staff', query: monthQuery },
    { method: 'GET', path: '/api/supervisor', credential: 'staff' },
    { method: 'GET', path: '/api/staff/me', credential: 'staff' },
    { method: 'GET', path: '/api/accounts', credential: 'staff' },
    { method: 'GET', path: '/api/agents', credential: 'staff' },
    { method: 'GET', path: '/api/desk', credential: 'staff' },
    { method: 'GET', path: '/api/desk/replies', credential: 'staff', query: deskQuery },
    { method: 'DELETE', path: '/api/sessions/current', credential: 'staff' },
    { method: 'GET', path: '/v3/directline/conversations/:webConversationId', credential: 'directLineToken', query: watermarkQuery },
    { method: 'GET', path: '/v3/directline/conversations/:webConversationId/activities', credential: 'directLineToken', query: watermarkQuery },
    { method: 'GET', path: '/api/rehearsals', credential: 'staff', query: traineeQuery },
    { method: 'GET', path: '/api/rehearsals/scenarios', credential: 'staff' },
    { method: 'GET', path: '/api/rehearsals/:rehearsalId', credential: 'staff' },
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
    { method: 'GET', path: '/metrics' },
    { method: 'GET', path: '/agent' },
    { method: 'GET', path: '/reports' },
    { method: 'GET', path: '/supervisor' },
    { method: 'GET', path: '/agent/alert.wav' },
    { method: 'GET', path: '/api/wechat', query: () => wechatQuery().map((q) => ({ ...q, echostr: 'fuzz-echo' })) },
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
    return fc
        .tuple(param(target.ticketIds), param(target.conversationIds), param(target.webConversationIds), param(target.rehearsalIds))
        .map(([ticket, conversation, web, rehearsal]) => route.path.replace(':ticketId', ticket).replace(':conversationId', conversation).replace(':webConversationId', web).replace(':rehearsalId', rehearsal));
}
