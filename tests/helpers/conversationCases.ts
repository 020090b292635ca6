import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../bot/paths';
import { AgentApi } from './agentApi';
import { StandInChannel } from './standInChannel';
import { say, startTestServer, texts, type TestServer } from './testServer';

/**
 * Whole conversations kept as test data (tests/conversations/cases.json), like core-bot's DialogTestClient cases:
 * each case is a list of owner messages (or a staff action) with what the replies, the `linli.nlu` trace, the
 * events and the conversation's tickets (read through the staff API) must show. Expectations are about meaning:
 * groups of alternatives, never a whole sentence.
 */

/** Each group must be met by at least one of its alternatives (substrings of the turn's joined replies). */
const Alternatives = z.array(z.array(z.string().min(1)).min(1));

const ReplyCheck = z
    .object({
        all: Alternatives.optional(),
        none: z.array(z.string().min(1)).optional(),
        /** Regular expressions the joined replies must match (for what substrings can not say, e.g. "in English"). */
        patterns: z.array(z.string().min(1)).optional(),
        maxMessages: z.number().int().min(0).optional(),
        minMessages: z.number().int().min(0).optional(),
    })
    .strict();

const OneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);
const NullableOneOrMany = z.union([z.string(), z.null(), z.array(z.union([z.string(), z.null()])).min(1)]);

const NluCheck = z
    .object({
        intent: OneOrMany.optional(),
        intentNot: z.array(z.string()).optional(),
        sub: NullableOneOrMany.optional(),
        escalate: z.boolean().optional(),
        escalationReason: NullableOneOrMany.optional(),
        /** What understanding was given (issue 11): only where a case is about the open flow, slot or handoff. */
        dialogState: z
            .object({ openFlow: NullableOneOrMany.optional(), awaitedSlot: NullableOneOrMany.optional(), handoffStatus: NullableOneOrMany.optional() })
            .strict()
            .optional(),
    })
    .strict();

/** A check on one ticket field, by dotted path (`contact.phone`, `followUp.trigger`). */
const FieldCheck = z.union([
    z.string(),
    z
        .object({
            oneOf: z.array(z.string()).min(1).optional(),
            not: z.array(z.string()).min(1).optional(),
            contains: Alternatives.optional(),
            none: z.array(z.string().min(1)).optional(),
            present: z.boolean().optional(),
        })
        .strict(),
]);

const TicketCheck = z
    .object({
        /** Which of the conversation's tickets this check is about (field equality); all of them when absent. */
        where: z.record(z.string(), z.string()).optional(),
        count: z.number().int().min(0).optional(),
        minCount: z.number().int().min(0).optional(),
        /** Checked on every selected ticket. */
        each: z.record(z.string(), FieldCheck).optional(),
    })
    .strict();

const Expect = z
    .object({
        reply: ReplyCheck.optional(),
        nlu: NluCheck.optional(),
        /** Events of this turn's replies by name → how many. */
        events: z.record(z.string(), z.number().int().min(0)).optional(),
        tickets: z.array(TicketCheck).optional(),
    })
    .strict();

const OwnerTurn = z.object({ say: z.string().min(1), expect: Expect.optional(), note: z.string().optional() }).strict();
const StaffTurn = z.object({ staff: z.enum(['accept', 'release']), expect: Expect.pick({ tickets: true }).optional(), note: z.string().optional() }).strict();
/** Waits (bounded) until the conversation has this many more tickets than before the wait: e.g. a handoff timing out. */
const WaitTurn = z.object({ waitForNewTickets: z.number().int().min(1), maxSeconds: z.number().min(1).max(25), note: z.string().optional() }).strict();
const CaseTurn = z.union([OwnerTurn, StaffTurn, WaitTurn]);

export const Bullets = z.enum([
    'brushoff',
    'boundaries',
    'answers',
    'thread.emergency',
    'thread.handoff_wait',
    'thread.slots',
    'thread.emoji_english',
    'ticket_sense',
]);

const ConversationCase = z
    .object({
        id: z.string().regex(/^[a-z0-9_.-]+$/),
        bullet: Bullets,
        /** What today's failure is, in a line. */
        pins: z.string().min(1),
        owner: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
        turns: z.array(CaseTurn).min(1),
        end: z
            .object({
                events: z.record(z.string(), z.number().int().min(0)).optional(),
                /** Over every reply of the conversation: for what must be said at some point, whichever turn says it. */
                replies: ReplyCheck.optional(),
                tickets: z.array(TicketCheck).optional(),
            })
            .strict()
            .optional(),
    })
    .strict();

export const CaseFile = z.object({ bullets: z.record(Bullets, z.string()), cases: z.array(ConversationCase).min(1) }).strict();
export type ConversationCase = z.infer<typeof ConversationCase>;
type TicketCheck = z.infer<typeof TicketCheck>;
type Json = Record<string, unknown>;

export function loadCases(): z.infer<typeof CaseFile> {
    const file = CaseFile.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'tests', 'conversations', 'cases.json'), 'utf8')));
    const ids = new Set<string>();
    for (const c of file.cases) {
        if (ids.has(c.id)) throw new Error(`cases.json: duplicate id ${c.id}`);
        ids.add(c.id);
        // A case that checks nothing would pass on any bot: each must expect something of a turn or of the end.
        const checks = c.turns.some((t) => 'expect' in t && t.expect !== undefined) || Object.keys(c.end ?? {}).length > 0;
        if (!checks) throw new Error(`cases.json: ${c.id} expects nothing`);
    }
    const missing = Bullets.options.filter((b) => !file.cases.some((c) => c.bullet === b));
    if (missing.length) throw new Error(`cases.json: no case for ${missing.join(', ')}`);
    return file;
}

/** The HANDOFF_* values keep the timeout case short: 10 s is the shortest timeout the config allows. */
export const CONVERSATION_ENV = { HANDOFF_ACCEPT_TIMEOUT_SECONDS: '10', HANDOFF_POLL_SECONDS: '1' };
const STAFF_TOKEN = 'cases-staff-token-0123456789';

/** The real server as `npm start` runs it (handoff timeout round included), a stand-in owner channel, a staff account. */
export class ConversationBench {
    private constructor(
        readonly server: TestServer,
        readonly channel: StandInChannel,
        readonly staff: AgentApi,
        private readonly stopRounds: () => void,
    ) {}

    static async start(env: Record<string, string> = {}): Promise<ConversationBench> {
        const channel = await new StandInChannel().start();
        const server = await startTestServer({ ...CONVERSATION_ENV, AGENT_TOKENS: `casestaff:${STAFF_TOKEN}`, ...env });
        const rounds = server.linli.handoffTimeouts();
        rounds.start(Number(CONVERSATION_ENV.HANDOFF_POLL_SECONDS) * 1000);
        return new ConversationBench(server, channel, new AgentApi(server.url, STAFF_TOKEN), () => rounds.stop());
    }

    async close(): Promise<void> {
        this.stopRounds();
        await this.server.close();
        await this.channel.stop();
    }

    /** Every ticket of one conversation, through the paged staff list. */
    async ticketsOf(conversationId: string): Promise<Json[]> {
        const found: Json[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 50; page += 1) {
            const res = await this.staff.call('GET', `/api/tickets?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
            if (res.status !== 200) throw new Error(`GET /api/tickets: HTTP ${res.status} ${JSON.stringify(res.json)}`);
            found.push(...(res.json.tickets as Json[]).filter((t) => t.conversationId === conversationId));
            cursor = (res.json.nextCursor as string | null | undefined) ?? null;
            if (!cursor) break;
        }
        return found;
    }

    /** Runs one case; returns what failed (empty when it held), each line with the replies it was about. */
    async run(c: ConversationCase): Promise<string[]> {
        const conversationId = `case-${c.id}-${randomUUID().slice(0, 8)}`;
        const opts = {
            conversationId,
            userId: `owner-${conversationId}`,
            channelId: 'emulator',
            serviceUrl: this.channel.url,
            ...(c.owner ? { channelData: { owner: c.owner } } : {}),
        };
        const failures: string[] = [];
        const transcript: string[] = [];
        const eventCounts = new Map<string, number>();
        const allReplies: string[] = [];
        for (const [i, turn] of c.turns.entries()) {
            const at = `turn ${i + 1}`;
            if ('say' in turn) {
                const reply = await say(this.server.url, turn.say, opts);
                const said = texts(reply);
                allReplies.push(...said);
                transcript.push(`  owner: ${turn.say}`, ...said.map((t) => `  bot:   ${t}`));
                if (reply.status !== 200) failures.push(`${at} «${turn.say}»: HTTP ${reply.status}`);
                const events = reply.activities.filter((a) => a.type === 'event');
                for (const e of events) eventCounts.set(e.name ?? '', (eventCounts.get(e.name ?? '') ?? 0) + 1);
                const trace = reply.activities.find((a) => a.type === 'trace' && a.name === 'linli.nlu')?.value as Json | undefined;
                const where = `${at} «${turn.say}» → ${JSON.stringify(said)}`;
                if (turn.expect?.reply) failures.push(...checkReply(turn.expect.reply, said).map((f) => `${where}: ${f}`));
                if (turn.expect?.nlu) failures.push(...checkNlu(turn.expect.nlu, trace).map((f) => `${where}: ${f}`));
                if (turn.expect?.events) failures.push(...checkEvents(turn.expect.events, events).map((f) => `${where}: ${f}`));
                if (turn.expect?.tickets) failures.push(...(await this.checkTickets(turn.expect.tickets, conversationId)).map((f) => `${where}: ${f}`));
            } else if ('staff' in turn) {
                const res = await this.staff.call('POST', `/api/handoffs/${encodeURIComponent(conversationId)}/${turn.staff}`);
                transcript.push(`  staff: ${turn.staff} → ${res.status}`);
                if (res.status !== 200) failures.push(`${at} staff ${turn.staff}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
                if (turn.expect?.tickets) failures.push(...(await this.checkTickets(turn.expect.tickets, conversationId)).map((f) => `${at}: ${f}`));
            } else {
                const before = (await this.ticketsOf(conversationId)).length;
                const deadline = Date.now() + turn.maxSeconds * 1000;
                let now = before;
                while (now < before + turn.waitForNewTickets && Date.now() < deadline) {
                    await new Promise((r) => setTimeout(r, 250));
                    now = (await this.ticketsOf(conversationId)).length;
                }
                transcript.push(`  (waited: ${now - before} new ticket(s))`);
                if (now < before + turn.waitForNewTickets) failures.push(`${at}: no new ticket within ${turn.maxSeconds} s`);
            }
        }
        if (c.end?.events) {
            for (const [name, count] of Object.entries(c.end.events)) {
                const seen = eventCounts.get(name) ?? 0;
                if (seen !== count) failures.push(`end: ${count} × ${name} expected over the conversation, saw ${seen}`);
            }
        }
        if (c.end?.replies) failures.push(...checkReply(c.end.replies, allReplies).map((f) => `end, over all replies: ${f}`));
        if (c.end?.tickets) failures.push(...(await this.checkTickets(c.end.tickets, conversationId)).map((f) => `end: ${f}`));
        if (failures.length) failures.push('transcript:', ...transcript);
        return failures;
    }

    private async checkTickets(checks: TicketCheck[], conversationId: string): Promise<string[]> {
        const tickets = await this.ticketsOf(conversationId);
        const brief = (t: Json) => JSON.stringify({ kind: t.kind, category: t.category, location: t.location, phone: field(t, 'contact.phone'), description: t.description, followUp: t.followUp });
        const failures: string[] = [];
        for (const check of checks) {
            const label = check.where ? `tickets where ${JSON.stringify(check.where)}` : 'tickets';
            const selected = tickets.filter((t) => Object.entries(check.where ?? {}).every(([path, value]) => field(t, path) === value));
            if (check.count !== undefined && selected.length !== check.count) {
                failures.push(`${check.count} ${label} expected, found ${selected.length}: ${tickets.map(brief).join(' | ') || 'none'}`);
            }
            if (check.minCount !== undefined && selected.length < check.minCount) {
                failures.push(`at least ${check.minCount} ${label} expected, found ${selected.length}: ${tickets.map(brief).join(' | ') || 'none'}`);
            }
            for (const t of selected) {
                for (const [path, want] of Object.entries(check.each ?? {})) {
                    const problem = checkField(field(t, path), want);
                    if (problem) failures.push(`${label}: ${path} ${problem} (ticket ${brief(t)})`);
                }
            }
        }
        return failures;
    }
}

function field(object: Json, path: string): unknown {
    let value: unknown = object;
    for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Json)[key] : undefined;
    return value;
}

function missingGroups(groups: string[][], text: string): string[] {
    return groups.filter((group) => !group.some((alt) => text.includes(alt))).map((g) => g.join('|'));
}

function checkReply(check: z.infer<typeof ReplyCheck>, said: string[]): string[] {
    const text = said.join('\n');
    const failures: string[] = [];
    const missing = missingGroups(check.all ?? [], text);
    if (missing.length) failures.push(`reply lacks ${missing.map((m) => `(${m})`).join(' and ')}`);
    const present = (check.none ?? []).filter((s) => text.includes(s));
    if (present.length) failures.push(`reply must not contain ${present.map((s) => `«${s}»`).join(', ')}`);
    for (const p of check.patterns ?? []) if (!new RegExp(p, 'u').test(text)) failures.push(`reply does not match /${p}/`);
    if (check.maxMessages !== undefined && said.length > check.maxMessages) failures.push(`at most ${check.maxMessages} message(s) expected, got ${said.length}`);
    if (check.minMessages !== undefined && said.length < check.minMessages) failures.push(`at least ${check.minMessages} message(s) expected, got ${said.length}`);
    return failures;
}

function matchesOne(value: unknown, want: string | null | (string | null)[]): boolean {
    return (Array.isArray(want) ? want : [want]).some((w) => w === value);
}

function checkNlu(check: z.infer<typeof NluCheck>, trace: Json | undefined): string[] {
    if (!trace) return ['no linli.nlu trace'];
    const failures: string[] = [];
    const seen = (key: string, value: unknown) => `${key} ${JSON.stringify(value)}`;
    if (check.intent !== undefined && !matchesOne(trace.intent, check.intent)) failures.push(`${seen('intent', trace.intent)}, expected ${JSON.stringify(check.intent)}`);
    if (check.intentNot?.includes(String(trace.intent))) failures.push(`${seen('intent', trace.intent)}, expected none of ${JSON.stringify(check.intentNot)}`);
    if (check.sub !== undefined && !matchesOne(trace.sub ?? null, check.sub)) failures.push(`${seen('sub', trace.sub)}, expected ${JSON.stringify(check.sub)}`);
    if (check.escalate !== undefined && trace.escalate !== check.escalate) failures.push(`${seen('escalate', trace.escalate)} (reason ${JSON.stringify(trace.escalationReason)}), expected ${check.escalate}`);
    if (check.escalationReason !== undefined && !matchesOne(trace.escalationReason ?? null, check.escalationReason)) {
        failures.push(`${seen('escalationReason', trace.escalationReason)}, expected ${JSON.stringify(check.escalationReason)}`);
    }
    if (check.dialogState) {
        const state = trace.dialogState as Json | undefined;
        if (!state || typeof state !== 'object') failures.push('trace has no dialogState');
        else {
            for (const [key, want] of Object.entries(check.dialogState)) {
                if (want !== undefined && !matchesOne(state[key] ?? null, want)) failures.push(`dialogState.${seen(key, state[key])}, expected ${JSON.stringify(want)}`);
            }
        }
    }
    return failures;
}

function checkEvents(want: Record<string, number>, events: Partial<Activity>[]): string[] {
    return Object.entries(want)
        .filter(([name, count]) => events.filter((e) => e.name === name).length !== count)
        .map(([name, count]) => `${count} × ${name} expected in this turn, saw ${events.filter((e) => e.name === name).length}`);
}

function checkField(value: unknown, want: z.infer<typeof FieldCheck>): string | null {
    const shown = JSON.stringify(value);
    if (typeof want === 'string') return value === want ? null : `is ${shown}, expected ${JSON.stringify(want)}`;
    const absent = value === undefined || value === null || value === '';
    if (want.present === true && absent) return `is absent, expected present`;
    if (want.present === false && !absent) return `is ${shown}, expected absent`;
    if (want.oneOf && !want.oneOf.includes(String(value))) return `is ${shown}, expected one of ${JSON.stringify(want.oneOf)}`;
    if (want.not?.includes(String(value))) return `is ${shown}, expected none of ${JSON.stringify(want.not)}`;
    const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
    const missing = missingGroups(want.contains ?? [], text);
    if (missing.length) return `is ${shown}, lacks ${missing.map((m) => `(${m})`).join(' and ')}`;
    const present = (want.none ?? []).filter((s) => text.includes(s));
    if (present.length) return `is ${shown}, must not contain ${present.map((s) => `«${s}»`).join(', ')}`;
    return null;
}

/**
 * One vitest test per case, run concurrently against one server (each case has its own conversation), so the
 * handoff-timeout case's wait overlaps the rest. A failing case names every expectation it missed, with the replies.
 */
export function describeConversationCases(title: string, env: () => Record<string, string> | null): void {
    const { cases } = loadCases();
    const settings = env();
    describe.skipIf(settings === null)(title, () => {
        let bench: ConversationBench;
        beforeAll(async () => {
            bench = await ConversationBench.start(settings ?? {});
        });
        afterAll(async () => {
            await bench?.close();
        });
        for (const c of cases) {
            it.concurrent(`[${c.bullet}] ${c.id}`, async () => {
                const failures = await bench.run(c);
                if (failures.length) throw new Error(`${c.id} (${c.pins}):\n${failures.join('\n')}`);
            }, 25_000);
        }
    });
}
