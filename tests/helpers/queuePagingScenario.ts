import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentApi } from './agentApi';
import { StandInChannel } from './standInChannel';
import { say, startTestServer, type TestServer } from './testServer';

/**
 * Issue 10, item 5, over HTTP on a given store: the queue used to answer the 200 oldest handoffs, so an emergency
 * behind a flood of ordinary requests was invisible to agents and to the timeout sweep; tickets had no pages at all.
 */
const TOKEN = 'alice-token-0123456789';
const FLOOD = 210;
const TIMEOUT_SECONDS = 600;
const channel = new StandInChannel();
let now = new Date('2026-11-24T02:00:00Z');
let server: TestServer;
let agent: AgentApi;

interface QueuePage {
    handoffs: { conversationId: string; priority: number; reason: string }[];
    total: number;
    countsByPriority: Record<string, number>;
    nextCursor: string | null;
}

async function queuePage(query: string): Promise<QueuePage> {
    const res = await agent.call('GET', `/api/handoffs?${query}`);
    expect(res.status).toBe(200);
    return res.json as unknown as QueuePage;
}

/** The paging scenarios against a server started with `env` (empty: the embedded SQLite store). */
export function queuePagingScenario(env: Record<string, string> = {}): void {
    beforeAll(async () => {
        await channel.start();
        server = await startTestServer({ ...env, AGENT_TOKENS: `alice:${TOKEN}`, HANDOFF_ACCEPT_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) }, { clock: () => now });
        agent = new AgentApi(server.url, TOKEN);
    });
    afterAll(async () => {
        await server?.close();
        await channel.stop();
    });

    describe('the agents\' queue after a flood of ordinary requests', () => {
        it('shows the emergency on the first page, pages through every handoff once, and the sweep sees them all', async () => {
            for (let i = 0; i < FLOOD; i++) {
                now = new Date(now.getTime() + 1000);
                const conversationId = `flood-${i}`;
                await server.linli.handoffs.initiate({
                    reference: { channelId: 'webchat', conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' }, user: { id: `owner-${i}`, name: '' }, serviceUrl: channel.url },
                    reason: 'requested',
                    rule: null,
                    priority: 3 + (i % 3),
                    ticketId: null,
                    persona: 'default',
                    emotion: 'calm',
                    lastWords: '转人工',
                });
            }
            now = new Date(now.getTime() + 1000);
            const emergency = await say(server.url, '电梯里有人被困住了，快来人', { conversationId: 'trapped', userId: 'owner-trapped', channelId: 'webchat', serviceUrl: channel.url });
            expect(emergency.activities.some((a) => a.name === 'handoff.initiate')).toBe(true);

            const first = await queuePage('status=queued');
            expect(first.handoffs[0]).toMatchObject({ conversationId: 'trapped', priority: 1, reason: 'emergency' });
            expect(first.handoffs).toHaveLength(50);
            expect(first.total).toBe(FLOOD + 1);
            expect(first.countsByPriority).toEqual({ 1: 1, 2: 0, 3: 70, 4: 70, 5: 70 });
            expect(first.nextCursor).toEqual(expect.any(String));

            const seen = first.handoffs.map((h) => h.conversationId);
            for (let cursor = first.nextCursor, pages = 1; cursor; pages++) {
                expect(pages).toBeLessThan(10);
                const next = await queuePage(`status=queued&limit=37&cursor=${encodeURIComponent(cursor)}`);
                expect(next.total).toBe(FLOOD + 1);
                seen.push(...next.handoffs.map((h) => h.conversationId));
                cursor = next.nextCursor;
            }
            expect(seen).toEqual(['trapped', ...Array.from({ length: FLOOD }, (_, i) => `flood-${i}`)]);
            const whole = await queuePage('status=queued&limit=200');
            expect(whole.handoffs).toHaveLength(200);

            // Nobody accepts in time: every ordinary one gets its call-back ticket, not the first 200; the emergency is
            // escalated and stays first in the queue, never turned into a call back.
            now = new Date(now.getTime() + (TIMEOUT_SECONDS + 1) * 1000);
            expect(await server.linli.handoffTimeouts().tick()).toBe(FLOOD);
            const after = await queuePage('status=queued');
            expect(after).toMatchObject({ total: 1, nextCursor: null, handoffs: [{ conversationId: 'trapped', escalatedAt: now.toISOString() }] });
            expect((await queuePage('status=closed&limit=1')).total).toBe(FLOOD);
        }, 60_000);

        it.each([
            ['limit=0', /limit/],
            ['limit=201', /limit/],
            ['limit=abc', /limit/],
            ['limit=1.5', /limit/],
            ['limit=1&limit=2', /limit/],
            ['cursor=', /cursor/],
            ['cursor=%%%', /cursor/],
            ['cursor=bm90LWpzb24', /cursor/],
            [`cursor=${Buffer.from('{"tier":9,"since":1,"conversationId":"x"}').toString('base64url')}`, /cursor/],
            [`cursor=${Buffer.from('{"createdAt":1,"id":"TS-20261124-0001"}').toString('base64url')}`, /cursor/],
            ['cursor[a]=1', /cursor/],
            ['cursor=AAAA… (5000 characters)', /cursor/],
        ].map(([label, reason]) => [label, label === 'cursor=AAAA… (5000 characters)' ? `cursor=${'A'.repeat(5000)}` : label, reason] as const))('refuses a bad page request with 400 and a reason: %s', async (_label, query, reason) => {
            const res = await agent.call('GET', `/api/handoffs?status=queued&${query}`);
            expect(res.status).toBe(400);
            expect(res.json).toMatchObject({ error: 'invalid_query', reason: expect.stringMatching(reason) });
        });
    });

    describe('the staff ticket list', () => {
        it('pages newest first with total and nextCursor, keeping its filters', async () => {
            const created: string[] = [];
            for (let i = 0; i < 7; i++) {
                now = new Date(now.getTime() + 60_000);
                const ticket = await server.linli.tickets.create({
                    kind: i % 2 ? 'repair' : 'complaint',
                    category: 'facility',
                    channelId: 'webchat',
                    conversationId: `paging-${i}`,
                    ownerId: `paging-owner-${i}`,
                    medium: 'chat',
                    contact: {},
                    location: null,
                    description: `第${i}张工单`,
                    request: null,
                    subject: null,
                    department: null,
                });
                created.push(ticket.id);
            }
            const all = await agent.call('GET', '/api/tickets?limit=1000');
            expect(all.status).toBe(400);
            const listed: string[] = [];
            let total = -1;
            for (let cursor: string | null = '', pages = 0; cursor !== null; pages++) {
                expect(pages).toBeLessThan(200);
                const res = await agent.call('GET', `/api/tickets?kind=repair&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
                expect(res.status).toBe(200);
                const page = res.json as { tickets: { id: string; kind: string }[]; total: number; nextCursor: string | null };
                expect(page.tickets.every((t) => t.kind === 'repair')).toBe(true);
                listed.push(...page.tickets.map((t) => t.id));
                total = page.total;
                cursor = page.nextCursor;
            }
            const repairs = created.filter((_, i) => i % 2).reverse();
            expect(listed.slice(0, repairs.length)).toEqual(repairs);
            expect(new Set(listed).size).toBe(listed.length);
            expect(listed).toHaveLength(total);
            const newest = await agent.call('GET', '/api/tickets?limit=3');
            expect(newest.json).toMatchObject({ total: expect.any(Number), nextCursor: expect.any(String) });
            expect((newest.json.tickets as { id: string }[]).map((t) => t.id)).toEqual(created.slice(-3).reverse());
            expect((await agent.call('GET', '/api/tickets?cursor=forged')).status).toBe(400);
            expect((await agent.call('GET', '/api/tickets?limit=-1')).status).toBe(400);
        });
    });
}
