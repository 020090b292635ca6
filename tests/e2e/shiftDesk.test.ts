import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentApi, eventually } from '../helpers/agentApi';
import { StandInChannel } from '../helpers/standInChannel';
import { say, startTestServer, type TestServer } from '../helpers/testServer';

/**
 * The shift desk on the embedded store, on a clock the test moves: accounts and sessions, roles, presence, offers by
 * capacity, transfer, notes, tickets opened by agents, queue entries in words, and an unaccepted emergency escalated
 * (never a call back). Offers and escalations are driven by their rounds, not by waiting.
 */
const BOSS = 'boss-token-0123456789abcdef';
const channel = new StandInChannel();
const logs: string[] = [];
let now = new Date('2026-12-07T01:00:00.000Z');
let server: TestServer;
let boss: AgentApi;

const ENV = {
    AGENT_TOKENS: `boss:${BOSS}`,
    STAFF_SESSION_HOURS: '8',
    STAFF_HEARTBEAT_SECONDS: '1',
    STAFF_AWAY_SECONDS: '60',
    HANDOFF_OFFER_SECONDS: '30',
    HANDOFF_URGENT_ESCALATE_SECONDS: '60',
    HANDOFF_SAFETY_REMINDER_SECONDS: '120',
    HANDOFF_ACCEPT_TIMEOUT_SECONDS: '300',
    LOG_LEVEL: 'debug',
};
const PASSWORDS = { xiaowang: 'wang-secret-passphrase', xiaoli: 'li-secret-passphrase', laozhang: 'zhang-secret-passphrase' };

const advance = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
const owner = (id: string, profile?: Record<string, string>) => ({
    conversationId: id,
    userId: `owner-${id}`,
    channelId: 'webchat',
    serviceUrl: channel.url,
    ...(profile ? { channelData: { owner: profile } } : {}),
});

async function signIn(name: keyof typeof PASSWORDS): Promise<{ api: AgentApi; token: string; expiresAt: string }> {
    const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: PASSWORDS[name] }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; expiresAt: string };
    return { api: new AgentApi(server.url, body.token), ...body };
}

async function handoff(id: string): Promise<Record<string, unknown>> {
    const h = await server.linli.handoffs.get(id);
    if (!h) throw new Error(`no handoff ${id}`);
    return h as unknown as Record<string, unknown>;
}

beforeAll(async () => {
    await channel.start();
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) });
    server = await startTestServer(ENV, { clock: () => now }, sink);
    boss = new AgentApi(server.url, BOSS);
});
afterAll(async () => {
    await server.close();
    await channel.stop();
});

describe('staff accounts and sessions', () => {
    it('lets supervisors manage accounts, signs staff in with a bearer session, and answers 401/403 by role', async () => {
        const created = await boss.call('POST', '/api/accounts', { name: 'xiaowang', displayName: '客服小王', password: PASSWORDS.xiaowang, roles: ['agent'], trainee: true });
        expect(created.status).toBe(201);
        expect(created.json).toEqual({
            name: 'xiaowang', displayName: '客服小王', roles: ['agent'], capacity: 1, trainee: true, disabled: false, source: 'store',
            createdAt: now.toISOString(), updatedAt: now.toISOString(),
        });
        expect((await boss.call('POST', '/api/accounts', { name: 'xiaoli', displayName: '客服小李', password: PASSWORDS.xiaoli, roles: ['agent'], capacity: 2 })).status).toBe(201);
        expect((await boss.call('POST', '/api/accounts', { name: 'laozhang', displayName: '张老师', password: PASSWORDS.laozhang, roles: ['trainer'] })).status).toBe(201);
        expect((await boss.call('POST', '/api/accounts', { name: 'xiaowang', displayName: '又一个', password: 'another-password', roles: ['agent'] })).status).toBe(409);
        expect((await boss.call('POST', '/api/accounts', { name: 'boss', displayName: '老板', password: 'another-password', roles: ['agent'] })).status).toBe(409);
        const bad = await boss.call('POST', '/api/accounts', { name: 'x', displayName: '', password: 'short', roles: ['janitor'] });
        expect(bad.status).toBe(400);
        expect(bad.json.reason).toEqual(expect.stringMatching(/name.*displayName.*password.*roles/s));

        const listed = await boss.call('GET', '/api/accounts');
        expect((listed.json.accounts as { name: string; source: string }[]).map((a) => [a.name, a.source])).toEqual([
            ['boss', 'token'], ['laozhang', 'store'], ['xiaoli', 'store'], ['xiaowang', 'store'],
        ]);
        expect((await boss.call('PATCH', '/api/accounts/boss', { displayName: '老板' })).status).toBe(409);
        expect((await boss.call('PATCH', '/api/accounts/nobody', { displayName: '谁' })).status).toBe(404);

        // Signing in: a wrong password, an unknown name and a bad body each get their answer; the right one a session.
        const wrong = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'xiaowang', password: 'not-the-password' }) });
        expect(wrong.status).toBe(401);
        expect(await wrong.json()).toMatchObject({ error: 'invalid_credentials' });
        const unknown = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ghost', password: 'whatever-it-is' }) });
        expect(unknown.status).toBe(401);
        expect((await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":1}' })).status).toBe(400);
        const wang = await signIn('xiaowang');
        expect(wang.expiresAt).toBe(new Date(now.getTime() + 8 * 3_600_000).toISOString());
        expect((await wang.api.call('GET', '/api/staff/me')).json).toMatchObject({ name: 'xiaowang', displayName: '客服小王', roles: ['agent'], expiresAt: wang.expiresAt, source: 'store' });

        // Roles: an agent works the queue and tickets, not accounts, reports or rehearsals of others; a trainer the reverse.
        expect((await wang.api.call('GET', '/api/handoffs')).status).toBe(200);
        expect((await wang.api.call('GET', '/api/tickets')).status).toBe(200);
        const forbidden = await wang.api.call('GET', '/api/accounts');
        expect(forbidden).toMatchObject({ status: 403, json: { error: 'forbidden', reason: expect.stringMatching(/supervisor/) } });
        expect((await wang.api.call('POST', '/api/accounts', { name: 'sneaky', displayName: '冒名', password: 'sneaky-password', roles: ['supervisor'] })).status).toBe(403);
        expect((await wang.api.call('GET', '/api/reports/complaints?month=2026-12')).status).toBe(403);
        const zhang = await signIn('laozhang');
        expect((await zhang.api.call('GET', '/api/rehearsals')).status).toBe(200);
        expect((await zhang.api.call('GET', '/api/handoffs')).status).toBe(403);
        expect((await zhang.api.call('POST', '/api/handoffs/x/accept')).status).toBe(403);
        expect((await zhang.api.call('GET', '/api/tickets')).status).toBe(403);
        expect((await new AgentApi(server.url, 'not-a-token-at-all-0123').call('GET', '/api/handoffs')).status).toBe(401);

        // A session ends when it expires, when its owner signs out, and when the account is disabled.
        advance(8 * 3600 + 1);
        expect((await wang.api.call('GET', '/api/staff/me')).status).toBe(401);
        advance(-(8 * 3600 + 1));
        expect((await zhang.api.call('DELETE', '/api/sessions/current')).status).toBe(204);
        expect((await zhang.api.call('GET', '/api/rehearsals')).status).toBe(401);
        expect((await boss.call('DELETE', '/api/sessions/current')).status).toBe(409);
        const again = await signIn('laozhang');
        expect((await boss.call('PATCH', '/api/accounts/laozhang', { disabled: true })).json).toMatchObject({ disabled: true });
        expect((await again.api.call('GET', '/api/rehearsals')).status).toBe(401);
        const disabled = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'laozhang', password: PASSWORDS.laozhang }) });
        expect(disabled.status).toBe(401);
    });

    it('ends a signed-out session\'s live feed at its next heartbeat', async () => {
        const { token, api } = await signIn('xiaoli');
        const res = await fetch(`${server.url}/api/handoffs/feed`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        const reader = res.body!.getReader();
        await reader.read();
        expect((await api.call('DELETE', '/api/sessions/current')).status).toBe(204);
        const deadline = Date.now() + 5000;
        let done = false;
        while (!done && Date.now() < deadline) done = (await Promise.race([reader.read(), new Promise<{ done: boolean }>((r) => setTimeout(() => r({ done: false }), 500))])).done;
        expect(done).toBe(true);
    });

    it('never returns or logs a password or its hash; the store keeps only scrypt hashes and token digests', async () => {
        const everything = JSON.stringify([(await boss.call('GET', '/api/accounts')).json, (await boss.call('GET', '/api/agents')).json]);
        expect(everything).not.toMatch(/scrypt|passwordHash|secret-passphrase/);
        const logged = logs.join('');
        expect(logged).toContain('staff signed in');
        for (const password of Object.values(PASSWORDS)) expect(logged).not.toContain(password);
        expect(logged).not.toMatch(/scrypt\$|passwordHash/);
        const db = new Database(join(server.dataDir, 'staff.sqlite'), { readonly: true });
        const docs = (db.prepare('SELECT doc FROM staff_accounts').all() as { doc: string }[]).map((r) => r.doc).join('\n');
        const sessions = (db.prepare('SELECT digest FROM staff_sessions').all() as { digest: string }[]).map((r) => r.digest);
        db.close();
        expect(docs).toMatch(/"passwordHash":"scrypt\$16384\$8\$1\$/);
        for (const password of Object.values(PASSWORDS)) expect(docs).not.toContain(password);
        expect(sessions.every((d) => /^[0-9a-f]{64}$/.test(d))).toBe(true);
    });
});

describe('the desk at work', () => {
    let wang: AgentApi;
    let li: AgentApi;
    let wangFeed: Awaited<ReturnType<AgentApi['feed']>>;
    let liFeed: Awaited<ReturnType<AgentApi['feed']>>;
    const offeredTo = async (id: string) => (await handoff(id)).offeredTo;

    beforeAll(async () => {
        wang = (await signIn('xiaowang')).api;
        li = (await signIn('xiaoli')).api;
        wangFeed = await wang.feed();
        liFeed = await li.feed();
        await waitUntil(async () => (await agents()).xiaowang?.status === 'online' && (await agents()).xiaoli?.status === 'online');
    });
    afterAll(() => {
        wangFeed.close();
        liFeed.close();
    });

    const agents = async () => Object.fromEntries(((await li.call('GET', '/api/agents')).json.agents as { name: string; status: string; load: number }[]).map((a) => [a.name, a]));

    it('shows who is online from the feed, offers by priority and room, and refuses an accept by anyone else with 409', async () => {
        const roster = await agents();
        expect(roster).toMatchObject({ xiaowang: { status: 'online', capacity: 1, load: 0 }, xiaoli: { status: 'online', capacity: 2, load: 0 }, boss: { status: 'offline' } });

        // Xiao Wang steps away: nothing is offered to her.
        expect((await wang.call('PUT', '/api/agents/me/presence', { status: 'away' })).json).toMatchObject({ name: 'xiaowang', status: 'away' });
        expect((await wang.call('PUT', '/api/agents/me/presence', { status: 'busy' })).status).toBe(400);
        await eventually(() => liFeed.events.some((e) => e.type === 'agent.presence' && JSON.stringify(e.data).includes('"away"')));

        await say(server.url, '我要找人工客服', owner('desk-a', { name: '王建国', building: '3', unit: '2', room: '502' }));
        await eventually(() => liFeed.events.some((e) => e.type === 'handoff.offered' && (e.data.handoff as { conversationId: string }).conversationId === 'desk-a'));
        expect(await offeredTo('desk-a')).toBe('xiaoli');
        advance(5);
        await say(server.url, '转人工', owner('desk-b'));
        await waitUntil(async () => (await offeredTo('desk-b')) === 'xiaoli');
        advance(5);
        await say(server.url, '我要人工', owner('desk-c'));
        await settle();
        // Xiao Li is full (2), Xiao Wang away: nobody has it, anyone may take it.
        expect(await offeredTo('desk-c')).toBeNull();

        // Back online: the waiting one goes to her at once.
        expect((await wang.call('PUT', '/api/agents/me/presence', { status: 'online' })).json).toMatchObject({ status: 'online' });
        await waitUntil(async () => (await offeredTo('desk-c')) === 'xiaowang');
        expect((await li.call('POST', '/api/handoffs/desk-c/accept')).status).toBe(409);
        expect((await agents()).xiaowang).toMatchObject({ load: 1 });

        // The queue entry, as a row a person can triage without clicking.
        const queue = (await li.call('GET', '/api/handoffs?status=queued')).json.handoffs as Record<string, unknown>[];
        const a = queue.find((h) => h.conversationId === 'desk-a');
        expect(a).toMatchObject({
            owner: { name: '王建国', building: '3', unit: '2', room: '502' },
            lastMessage: '我要找人工客服',
            priority: 3,
            priorityText: '一般',
            reason: 'requested',
            reasonText: '业主要求人工',
            channel: 'webchat',
            channelText: '网页',
            slaDueAt: new Date(Date.parse(String(a?.since)) + 300_000).toISOString(),
            offeredTo: 'xiaoli',
            offerExpiresAt: new Date(Date.parse(String(a?.offeredAt)) + 30_000).toISOString(),
            escalatedAt: null,
        });
        expect(a).not.toHaveProperty('offeredBefore');
        // A request for a person is not a complaint: its suggested replies never restate the owner's words back.
        const suggestionsA = (await li.call('GET', '/api/handoffs/desk-a/transcript')).json.suggestions as string[];
        expect(suggestionsA.length).toBeGreaterThan(0);
        expect(suggestionsA.join('\n')).not.toMatch(/您是说|你是说/);
    });

    it('moves a lapsed offer to the next agent with room, and away agents lose theirs', async () => {
        advance(31);
        await settle();
        // Every offer lapsed at once: desk-a (oldest) goes to Xiao Wang, who had not had it; the others to Xiao Li.
        expect(await offeredTo('desk-a')).toBe('xiaowang');
        expect(await offeredTo('desk-b')).toBe('xiaoli');
        expect(await offeredTo('desk-c')).toBe('xiaoli');
        expect((await li.call('POST', '/api/handoffs/desk-a/accept')).status).toBe(409);

        // Xiao Wang's console goes quiet (no heartbeat for STAFF_AWAY_SECONDS): she is away and her offer moves on.
        wangFeed.close();
        advance(61);
        // Xiao Li's console still beats (every second on the real clock), so she is online again at the new time.
        await waitUntil(async () => (await agents()).xiaoli?.status === 'online');
        expect((await agents()).xiaowang).toMatchObject({ status: 'away' });
        await settle();
        expect(await offeredTo('desk-a')).not.toBe('xiaowang');
        await eventually(() => liFeed.events.some((e) => e.type === 'agent.presence' && JSON.stringify(e.data).includes('xiaowang') && JSON.stringify(e.data).includes('"away"')));
    });

    it('transfers a conversation to a colleague with a note the owner never sees, and keeps notes for staff', async () => {
        // Xiao Li takes desk-b (offered to her); Xiao Wang comes back to take it over.
        expect((await li.call('POST', '/api/handoffs/desk-b/accept')).json).toMatchObject({ status: 'active', agent: 'xiaoli', agentDisplayName: '客服小李' });
        expect(channel.to('desk-b').some((d) => d.text?.includes('客服小李'))).toBe(true);
        expect((await li.call('POST', '/api/handoffs/desk-b/messages', { text: '您好，请问是哪里需要帮忙？' })).status).toBe(200);
        expect(channel.to('desk-b').some((d) => d.text === '客服小李：您好，请问是哪里需要帮忙？')).toBe(true);

        expect((await li.call('POST', '/api/handoffs/desk-b/transfer', { to: 'xiaowang', note: '业主是老人，说话慢一点' })).json).toMatchObject({ error: 'agent_unavailable' });
        wangFeed = await wang.feed();
        await waitUntil(async () => (await agents()).xiaowang?.status === 'online');
        expect((await li.call('POST', '/api/handoffs/desk-b/transfer', { to: 'nobody' })).status).toBe(400);
        expect((await wang.call('POST', '/api/handoffs/desk-b/transfer', { to: 'xiaoli' })).status).toBe(409);
        const moved = await li.call('POST', '/api/handoffs/desk-b/transfer', { to: 'xiaowang', note: '业主是老人，说话慢一点' });
        expect(moved.json).toMatchObject({ status: 'active', agent: 'xiaowang', agentDisplayName: '客服小王', ownerNotified: true });
        await eventually(() => wangFeed.events.some((e) => e.type === 'handoff.transferred' && e.data.to === 'xiaowang' && e.data.from === 'xiaoli' && e.data.note === '业主是老人，说话慢一点'));
        expect(channel.to('desk-b').at(-1)?.text).toContain('客服小王');
        expect((await li.call('POST', '/api/handoffs/desk-b/messages', { text: '还在吗' })).status).toBe(409);

        const note = await li.call('POST', '/api/handoffs/desk-b/notes', { text: '已电话联系工程部，下午两点上门' });
        expect(note).toMatchObject({ status: 201, json: { note: { agent: 'xiaoli', text: '已电话联系工程部，下午两点上门' } } });
        expect((await li.call('POST', '/api/handoffs/desk-b/notes', { text: '' })).status).toBe(400);
        expect((await li.call('POST', '/api/handoffs/nobody/notes', { text: '随便' })).status).toBe(404);
        await eventually(() => wangFeed.events.some((e) => e.type === 'handoff.note' && JSON.stringify(e.data).includes('下午两点上门')));
        const entries = (await wang.call('GET', '/api/handoffs/desk-b/transcript')).json.entries as { event?: string; text?: string; agent?: string }[];
        expect(entries.filter((e) => e.event === 'handoff.note').map((e) => e.text)).toEqual(['业主是老人，说话慢一点', '已电话联系工程部，下午两点上门']);
        const toOwner = JSON.stringify(channel.to('desk-b'));
        expect(toOwner).not.toContain('说话慢一点');
        expect(toOwner).not.toContain('下午两点上门');
    });

    it('opens a ticket for what the owner told the agent (POST /api/tickets → 201), with 400 naming fields and 404 for an unknown conversation', async () => {
        const body = { kind: 'repair', category: 'facility', conversationId: 'desk-b', description: '厨房水管漏水', location: '3栋2单元502', contact: { name: '王女士', phone: '13800000000' }, request: '尽快上门' };
        const created = await wang.call('POST', '/api/tickets', body);
        expect(created.status).toBe(201);
        expect(created.json).toMatchObject({
            id: expect.stringMatching(/^TS-\d{8}-\d{4,}$/), kind: 'repair', category: 'facility', status: 'received', conversationId: 'desk-b', ownerId: 'owner-desk-b',
            channelId: 'webchat', description: '厨房水管漏水', location: '3栋2单元502', contact: { name: '王女士', phone: '13800000000' }, request: '尽快上门', receivedBy: 'xiaowang', medium: 'chat',
        });
        expect((await wang.call('GET', `/api/tickets/${String(created.json.id)}`)).status).toBe(200);
        expect((await handoff('desk-b')).ticketId).toBe(created.json.id);
        const bad = await wang.call('POST', '/api/tickets', { kind: 'gossip', conversationId: 'desk-b', description: '', contact: { phone: 'x'.repeat(40) } });
        expect(bad.status).toBe(400);
        expect(bad.json.reason).toEqual(expect.stringMatching(/kind.*category.*description.*contact\.phone/s));
        expect((await wang.call('POST', '/api/tickets', { ...body, conversationId: 'never-handed-over' })).status).toBe(404);
        const byBoss = await boss.call('POST', '/api/tickets', { ...body, description: '主管代开' });
        expect(byBoss.json).toMatchObject({ receivedBy: 'boss' });
        // The owner's history, as the console shows it beside the transcript.
        const history = await wang.call('GET', '/api/tickets?ownerId=owner-desk-b');
        expect(history.json).toMatchObject({ total: 2, tickets: [{ id: byBoss.json.id }, { id: created.json.id }] });
        // A retry with the same Idempotency-Key gives the same ticket.
        const once = async () => (await fetch(`${server.url}/api/tickets`, { method: 'POST', headers: { authorization: `Bearer ${BOSS}`, 'content-type': 'application/json', 'idempotency-key': 'click-1' }, body: JSON.stringify(body) }).then((r) => r.json())) as { id: string };
        expect((await once()).id).toBe((await once()).id);
    });
});

describe('an emergency nobody accepts', () => {
    it('is escalated to every console and logged, stays queued (no call-back or complaint ticket), and the owner is reminded of the safety steps', async () => {
        const boss2 = await boss.feed();
        const conversationId = 'desk-gas';
        await say(server.url, '家里煤气泄漏了，味道很大', owner(conversationId, { name: '李阿姨', building: '5', room: '1201' }));
        const queued = await handoff(conversationId);
        expect(queued).toMatchObject({ status: 'queued', priority: 1, reason: 'emergency' });
        const rounds = server.linli.handoffTimeouts();
        advance(59);
        await rounds.tick();
        expect((await handoff(conversationId)).escalatedAt).toBeNull();
        advance(2);
        await rounds.tick();
        expect((await handoff(conversationId)).escalatedAt).toBe(now.toISOString());
        await eventually(() => boss2.events.some((e) => e.type === 'handoff.escalated' && (e.data.handoff as { conversationId: string }).conversationId === conversationId));
        const escalated = boss2.events.find((e) => e.type === 'handoff.escalated')?.data.handoff as Record<string, unknown>;
        expect(escalated).toMatchObject({ priorityText: '紧急', reasonText: '紧急情况', owner: { name: '李阿姨', building: '5', room: '1201' } });
        expect(logs.join('')).toMatch(/"level":40[^\n]*desk-gas[^\n]*escalated|"level":40[^\n]*escalated[^\n]*desk-gas/);

        // Long past the call-back timeout: still queued, escalated once, and reminded every HANDOFF_SAFETY_REMINDER_SECONDS.
        const before = channel.to(conversationId).length;
        for (let i = 0; i < 5; i++) {
            advance(121);
            await rounds.tick();
        }
        const after = await handoff(conversationId);
        expect(after).toMatchObject({ status: 'queued', outcome: null });
        expect(boss2.events.filter((e) => e.type === 'handoff.escalated' && JSON.stringify(e.data).includes(conversationId))).toHaveLength(1);
        const reminders = channel.to(conversationId).slice(before).filter((d) => d.text?.includes('燃气') || d.text?.includes('煤气') || d.text?.includes('安全'));
        expect(reminders.length).toBeGreaterThanOrEqual(4);
        const tickets = (await boss.call('GET', '/api/tickets?limit=200')).json.tickets as { conversationId: string; kind: string }[];
        expect(tickets.filter((t) => t.conversationId === conversationId).map((t) => t.kind)).toEqual(['emergency']);

        // The agent is offered emergency lines with the owner's place and the ticket, not complaint apologies.
        const suggestions = (await boss.call('GET', `/api/handoffs/${conversationId}/transcript`)).json.suggestions as string[];
        const ticketId = String(after.ticketId);
        expect(suggestions.join('\n')).toContain('安全');
        expect(suggestions.some((line) => line.includes('5栋1201'))).toBe(true);
        expect(suggestions.some((line) => line.includes(ticketId))).toBe(true);
        expect(suggestions.join('\n')).not.toMatch(/抱歉|您是说|不好意思/);
        boss2.close();
    });
});

/** Offer rounds until one changes nothing (a round called directly: a scheduled tick would skip while a kicked one runs). */
async function settle(): Promise<void> {
    for (let i = 0; i < 10 && (await server.linli.offers.round()) > 0; i++);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 50));
    }
}
