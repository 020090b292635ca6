import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRedisUrl } from '../../bot/config';
import { rssBytes } from '../helpers/processRss';
import { dropPrefix, reachableRedis, uniquePrefix } from '../helpers/redisKeys';
import { spawnLinli, type LinliProcess } from '../helpers/spawnLinli';
import { FuzzChannel } from './FuzzChannel';
import { FUZZ_DIRECT_LINE_SECRET, FUZZ_WECHAT, type FuzzTarget } from './fuzzRoutes';
import { XML_ATTACKS, fuzzCase, type FuzzCase, type FuzzOptions } from './hostileRequests';
import { sendRaw, type RawOutcome } from './sendRaw';

export type FuzzStore = 'sqlite' | 'redis';

export interface FuzzRunOptions {
    store: FuzzStore;
    seed: number;
    /** At most this many requests… */
    count: number;
    /** …and no new one after this many seconds. */
    seconds: number;
    concurrency: number;
    maxBodyBytes: number;
    bombBytes: number[];
    /** Replay exactly these cases (one at a time) instead of the barrage. */
    cases?: number[];
    /** The server's RSS must stay under this. */
    rssLimitBytes: number;
    /** After a crash, how long the cases that were in flight may take to be tried one by one to find the culprit. */
    isolateBudgetMs: number;
    /** Progress lines (the CLI prints them; the test keeps quiet). */
    log?: (line: string) => void;
}

/** Something that must not happen, with what to replay. */
export interface FuzzFinding {
    kind: '5xx' | 'crash' | 'rss' | 'conversation' | 'answer';
    detail: string;
    /** The case that did it, when known (for a crash: the one that kills a fresh server alone). */
    cases: { index: number; route: string; attack: string; label: string }[];
    /** How many requests met it (a 5xx is reported once per route and answer). */
    times?: number;
}

export interface FuzzReport {
    store: FuzzStore;
    seed: number;
    requests: number;
    seconds: number;
    byStatus: Record<string, number>;
    maxRssBytes: number;
    /** Time spent per attack (total ms, requests): where a run's time goes. */
    msByAttack: Record<string, { ms: number; requests: number }>;
    findings: FuzzFinding[];
    /** How to replay one case of this run. */
    replay: (index: number) => string;
}

const TOKEN = 'fuzz-staff-token-0123456789';
/** 5xx answers that are the contract, not a failure: the owner's own channel could not be reached (a gateway error). */
const CONTRACT_5XX = [{ status: 502, error: 'owner_unreachable' }];

/** Long enough for a Redis command that timed out under load to have room again (the client times out at 2 s). */
const STORE_RETRY_PAUSE_MS = 500;

function errorOf(body: string): unknown {
    try {
        return (JSON.parse(body) as { error?: unknown }).error;
    } catch {
        return undefined;
    }
}
/** A server growing past this is killed (the machine is shared); it is a finding long before. */
const KILL_ABOVE_BYTES = 4 * 1024 ** 3;
/** How long a request may take: a turn on the slow channel takes a few seconds; more is a hang worth reporting. */
const REQUEST_TIMEOUT_MS = 15_000;
/** A request built to leave the server waiting is closed after this. */
const HELD_MS = 1000;
/** A crash can come a little after the request that caused it (a rejected send after the turn ended). */
const AFTERMATH_MS = 2500;
const MAX_CRASHES = 12;

const describeCase = (c: FuzzCase) => ({ index: c.index, route: `${c.route.method} ${c.route.path}`, attack: c.attack, label: c.label });

/** The last lines a dead server wrote: its stack trace or fatal log line. */
function lastWords(output: string): string {
    return output.trim().split('\n').slice(-12).map((l) => l.slice(0, 400)).join('\n');
}

/**
 * One fuzz run against the real server (the built `dist/bot/index.js`, spawned as `npm start` runs it) on one store:
 * seeds a ticket and a handoff so the attacks reach real records, sends the seeded barrage with a few requests in
 * flight, watches the process (alive, RSS), and ends with an ordinary conversation. A crash is narrowed down to the
 * case that kills a fresh server alone; that route-and-attack pair is then skipped so the run goes on finding others.
 */
export class FuzzRun {
    private readonly channel = new FuzzChannel();
    private linli: LinliProcess | undefined;
    private dataDir: string | undefined;
    private redisPrefix: string | undefined;
    private target: FuzzTarget = { ticketIds: [], conversationIds: [], serviceUrls: [], webConversationIds: [], directLineToken: '', chatConversationIds: [], chatCookie: '', rehearsalIds: [], scenarioIds: [] };
    private readonly inFlight = new Map<number, FuzzCase>();
    /** Cases answered lately, newest last, and whether the server closed on them without an answer. */
    private readonly recent: { at: number; c: FuzzCase; dropped: boolean }[] = [];
    private readonly byStatus: Record<string, number> = {};
    private readonly msByAttack: Record<string, { ms: number; requests: number }> = {};
    private readonly findings: FuzzFinding[] = [];
    private readonly quarantined = new Set<string>();
    private maxRss = 0;
    private rssFlagged = false;
    private crashes = 0;
    private recovering: Promise<void> | null = null;
    private requests = 0;
    /** Set while the server is stopped or killed on purpose (the end of the run, a suspect tried alone). */
    private stopping = false;

    constructor(private readonly options: FuzzRunOptions) {}

    async run(): Promise<FuzzReport> {
        const started = Date.now();
        const log = this.options.log ?? (() => undefined);
        await this.channel.start();
        this.target.serviceUrls = this.channel.serviceUrls();
        const sampler = setInterval(() => this.sampleRss(), 200);
        try {
            await this.startServer();
            await this.seedTarget();
            const t = this.target;
            log(`fuzz ${this.options.store}: seed ${this.options.seed}, server pid ${this.linli?.child.pid}, seeded ${t.ticketIds.length} ticket(s), ${t.conversationIds.length} handoff(s), ${t.webConversationIds.length} Direct Line and ${t.chatConversationIds.length} page conversation(s), ${t.rehearsalIds.length} rehearsal(s)`);
            if (this.options.cases) await this.replay(this.options.cases);
            else await this.barrage(started, log);
            // A server dying of the last requests (out of memory takes a moment) is a crash, not a failed conversation.
            await this.exitOf(this.linli, 1000);
            await this.recovering;
            await this.conversationStillWorks();
        } finally {
            clearInterval(sampler);
            this.stopping = true;
            await this.linli?.stop();
            await this.channel.stop();
            await this.cleanUp();
        }
        const { store, seed } = this.options;
        return {
            store,
            seed,
            requests: this.requests,
            seconds: (Date.now() - started) / 1000,
            byStatus: this.byStatus,
            maxRssBytes: this.maxRss,
            msByAttack: this.msByAttack,
            findings: this.findings,
            replay: (index) => `npm run fuzz -- --store ${store} --seed ${seed} --case ${index}`,
        };
    }

    private async startServer(): Promise<void> {
        const env: Record<string, string> = {
            AGENT_TOKENS: `fuzz:${TOKEN}`,
            // High enough that the barrage reaches the handlers with a valid token rather than the limiter.
            AGENT_API_RATE_PER_MINUTE: '100000',
            LOG_LEVEL: 'info',
            // The WeChat channel (plain mode), so /api/wechat is served; its API is a closed loopback port.
            WECHAT_TOKEN: FUZZ_WECHAT.token,
            WECHAT_APP_ID: FUZZ_WECHAT.appId,
            WECHAT_APP_SECRET: FUZZ_WECHAT.secret,
            WECHAT_API_BASE_URL: 'http://127.0.0.1:9',
            // Web chat on, so /v3/directline and /chat/token are served; page tokens limited no more than staff calls.
            DIRECT_LINE_SECRET: FUZZ_DIRECT_LINE_SECRET,
            CHAT_TOKEN_RATE_PER_MINUTE: '10000',
        };
        if (this.options.store === 'redis') {
            this.redisPrefix ??= uniquePrefix().replace('linli-test:', 'linli-fuzz:');
            Object.assign(env, { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: this.redisPrefix });
        } else {
            this.dataDir ??= mkdtempSync(join(tmpdir(), 'linli-fuzz-'));
            env.DATA_DIR = this.dataDir;
        }
        const linli = await spawnLinli(env);
        this.linli = linli;
        this.rssFlagged = false;
        linli.child.once('exit', (code, signal) => {
            if (this.linli === linli && !this.stopping) this.onCrash(linli, code, signal);
        });
    }

    private get port(): number {
        return Number(new URL(this.linli?.url ?? 'http://127.0.0.1:0').port);
    }

    private async post(path: string, body: unknown, bearer = TOKEN): Promise<{ status: number; json: unknown; cookie: string }> {
        const res = await fetch(`${this.linli?.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
        return { status: res.status, json: await res.json().catch(() => null), cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
    }

    private async get(path: string): Promise<unknown> {
        const res = await fetch(`${this.linli?.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        return res.json();
    }

    /**
     * Real records for the attacks to reach the handlers with: an emergency opens a ticket and a handoff; the estate's
     * server opens a Direct Line conversation (its token); an owner page its own (its resume cookie); a trainee two
     * rehearsals; a supervisor a named agent account.
     */
    private async seedTarget(): Promise<void> {
        for (const [i, text] of ['电梯里有人被困，快来人', '我要转人工'].entries()) {
            await this.post('/api/messages', {
                type: 'message',
                channelId: 'emulator',
                deliveryMode: 'expectReplies',
                serviceUrl: this.target.serviceUrls[0],
                conversation: { id: `fuzz-seed-${this.options.seed}-${i}` },
                from: { id: `fuzz-owner-${i}` },
                recipient: { id: 'linli' },
                text,
            });
        }
        const tickets = (await this.get('/api/tickets')) as { tickets?: { id: string }[] };
        const handoffs = (await this.get('/api/handoffs?status=queued')) as { handoffs?: { conversationId: string }[] };
        this.target.ticketIds = (tickets.tickets ?? []).map((t) => t.id);
        this.target.conversationIds = (handoffs.handoffs ?? []).map((h) => h.conversationId);
        // A named agent account, so sign-in, account changes and transfers reach a real one (409 when it exists already).
        await this.post('/api/accounts', { name: 'fuzzagent', displayName: '客服小测', password: 'fuzz-agent-password', roles: ['agent'] });

        const generated = (await this.post('/v3/directline/tokens/generate', { user: { id: `fuzz-web-${this.options.seed}` } }, FUZZ_DIRECT_LINE_SECRET)).json as { conversationId?: string; token?: string } | null;
        if (generated?.conversationId && generated.token) {
            await this.post('/v3/directline/conversations', {}, generated.token);
            this.target.webConversationIds = [generated.conversationId];
            this.target.directLineToken = generated.token;
        }
        const page = await this.post('/chat/token', {});
        const chat = page.json as { conversationId?: string } | null;
        if (chat?.conversationId && page.cookie) {
            this.target.chatConversationIds = [chat.conversationId];
            this.target.chatCookie = page.cookie;
        }
        const scenarios = (await this.get('/api/rehearsals/scenarios')) as { id: string }[];
        this.target.scenarioIds = Array.isArray(scenarios) ? scenarios.map((s) => s.id) : [];
        for (const scenario of this.target.scenarioIds.slice(0, 2)) {
            const started = (await this.post('/api/rehearsals', { scenario })).json as { id?: string } | null;
            if (started?.id) this.target.rehearsalIds.push(started.id);
        }
    }

    private fuzzOptions(): FuzzOptions {
        return { token: TOKEN, maxBodyBytes: this.options.maxBodyBytes, bombBytes: this.options.bombBytes };
    }

    private async barrage(started: number, log: (line: string) => void): Promise<void> {
        const deadline = started + this.options.seconds * 1000;
        let next = 0;
        let lastLog = Date.now();
        const worker = async () => {
            while (next < this.options.count && Date.now() < deadline && this.crashes < MAX_CRASHES) {
                await this.recovering;
                const index = next++;
                const c = fuzzCase(this.options.seed, index, this.target, this.fuzzOptions());
                if (this.quarantined.has(`${c.attack} ${c.route.method} ${c.route.path}`)) {
                    this.count('skipped (kills the server)');
                    continue;
                }
                await this.send(c);
                if (Date.now() - lastLog > 10_000) {
                    lastLog = Date.now();
                    log(`  ${this.requests} requests, ${Math.round((Date.now() - started) / 1000)} s, RSS ${Math.round(this.maxRss / 2 ** 20)} MiB max, ${this.findings.length} finding(s)`);
                }
            }
        };
        await Promise.all(Array.from({ length: this.options.concurrency }, worker));
    }

    private async replay(indices: number[]): Promise<void> {
        for (const index of indices) {
            await this.recovering;
            const c = fuzzCase(this.options.seed, index, this.target, this.fuzzOptions());
            this.options.log?.(`case ${index}: ${c.label}`);
            const outcome = await this.send(c);
            this.options.log?.(`  → ${outcome.kind === 'status' ? `${outcome.status} ${outcome.body.slice(0, 300)}` : outcome.kind} (${outcome.ms} ms)`);
            await new Promise((r) => setTimeout(r, AFTERMATH_MS));
        }
    }

    private count(key: string): void {
        this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    }

    private async send(c: FuzzCase): Promise<RawOutcome> {
        const linli = this.linli;
        this.inFlight.set(c.index, c);
        this.requests++;
        const outcome = await sendRaw(this.port, c.request, c.request.hangs ? HELD_MS : REQUEST_TIMEOUT_MS);
        this.inFlight.delete(c.index);
        const spent = (this.msByAttack[c.attack] ??= { ms: 0, requests: 0 });
        spent.ms += outcome.ms;
        spent.requests++;
        // Refused: the server is already dead (its exit not yet reported); this case was sent too late to be a suspect.
        const refused = outcome.kind === 'dropped' && /ECONNREFUSED/.test(outcome.error ?? '');
        if (refused) await this.exitOf(linli, 2000);
        else this.recent.push({ at: Date.now(), c, dropped: outcome.kind === 'dropped' });
        while (this.recent.length > 64) this.recent.shift();
        const died = refused || linli !== this.linli || linli?.child.exitCode !== null || linli.child.signalCode !== null;
        if (died && outcome.kind !== 'status') {
            this.count('lost to a crash');
            return outcome;
        }
        if (outcome.kind === 'timeout') this.count(c.request.hangs ? 'held (body never sent, closed by the client)' : 'no answer within 15 s');
        else if (outcome.kind === 'dropped') this.count('closed without an answer');
        else {
            this.count(String(outcome.status));
            // Broken, huge, entity-laden or wrongly shaped XML is never read as a message: refused, or `success` at most.
            if (c.route.xml && XML_ATTACKS.has(c.attack) && !c.readable && outcome.status < 400 && outcome.body.trim() !== 'success') {
                const detail = `${outcome.status} on ${c.route.method} ${c.route.path} for ${c.attack}: ${outcome.body.slice(0, 300)}`;
                if (!this.findings.some((f) => f.kind === 'answer' && f.detail === detail)) this.findings.push({ kind: 'answer', detail, cases: [describeCase(c)] });
            }
            if (outcome.status >= 500 && !this.contract5xx(outcome.status, outcome.body) && !(await this.transientStoreFailure(c, outcome.status, outcome.body))) {
                // One finding per route and answer: the same fault met a hundred times is one fault, with a few cases.
                const detail = `${outcome.status} on ${c.route.method} ${c.route.path}: ${outcome.body.slice(0, 300)}`;
                const seen = this.findings.find((f) => f.kind === '5xx' && f.detail === detail);
                if (!seen) this.findings.push({ kind: '5xx', detail, cases: [describeCase(c)], times: 1 });
                else {
                    seen.times = (seen.times ?? 1) + 1;
                    if (seen.cases.length < 5) seen.cases.push(describeCase(c));
                }
            }
        }
        return outcome;
    }

    /**
     * The contract's 503 for a store that did not answer (a Redis command timing out on a loaded machine) is a fault
     * of this input only if the same request meets it again: sent once more after a pause, a passing answer shows a
     * busy store, while a hostile input that breaks a store command fails the same way twice.
     */
    private async transientStoreFailure(c: FuzzCase, status: number, body: string): Promise<boolean> {
        if (status !== 503 || errorOf(body) !== 'store_unavailable') return false;
        await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_PAUSE_MS));
        const again = await sendRaw(this.port, c.request, REQUEST_TIMEOUT_MS);
        if (again.kind !== 'status' || again.status >= 500) return false;
        this.count('503 store busy (answered when sent again)');
        return true;
    }

    private contract5xx(status: number, body: string): boolean {
        const error = errorOf(body);
        return CONTRACT_5XX.some((allowed) => allowed.status === status && allowed.error === error);
    }

    private sampleRss(): void {
        const pid = this.linli?.child.pid;
        if (!pid) return;
        const rss = rssBytes(pid);
        if (rss === null) return;
        this.maxRss = Math.max(this.maxRss, rss);
        if (rss > this.options.rssLimitBytes && !this.rssFlagged) {
            this.rssFlagged = true;
            // The heaviest bodies in flight or answered lately are the likeliest cause.
            const heaviest = [...this.inFlight.values(), ...this.recent.map((r) => r.c)].sort((a, b) => b.heft - a.heft).slice(0, 5);
            this.findings.push({ kind: 'rss', detail: `RSS ${Math.round(rss / 2 ** 20)} MiB > ${Math.round(this.options.rssLimitBytes / 2 ** 20)} MiB; the heaviest requests in flight or just answered:`, cases: heaviest.map(describeCase) });
        }
        if (rss > KILL_ABOVE_BYTES) this.linli?.child.kill('SIGKILL');
    }

    /** The server died: note it, find which case does it alone, and bring a fresh server up for the rest. */
    private onCrash(dead: LinliProcess, code: number | null, signal: NodeJS.Signals | null): void {
        this.crashes++;
        const since = Date.now() - AFTERMATH_MS;
        // Most likely first: a case the server closed on without answering, then those still in flight, then the rest.
        const lately = this.recent.filter((r) => r.at >= since).reverse();
        const suspects = [...lately.filter((r) => r.dropped).map((r) => r.c), ...this.inFlight.values(), ...lately.map((r) => r.c)].filter((c, i, all) => all.findIndex((o) => o.index === c.index) === i);
        const words = lastWords(dead.output().tail);
        this.recovering = (async () => {
            while (this.inFlight.size) await new Promise((r) => setTimeout(r, 20));
            await this.startServer();
            const culprit = await this.isolate(suspects);
            const cases = culprit ? [describeCase(culprit)] : suspects.map(describeCase);
            if (culprit) this.quarantined.add(`${culprit.attack} ${culprit.route.method} ${culprit.route.path}`);
            this.findings.push({
                kind: 'crash',
                detail: `server exited (code ${code}, signal ${signal}); ${culprit ? 'this case kills a fresh server alone' : `none of the ${suspects.length} suspects killed a fresh server alone`}; its last words:\n${words}`,
                cases,
            });
            this.recovering = null;
        })();
    }

    /** Tries each suspect alone against a fresh server; the first that kills it is the culprit. */
    private async isolate(suspects: FuzzCase[]): Promise<FuzzCase | null> {
        const deadline = Date.now() + this.options.isolateBudgetMs;
        for (const c of suspects) {
            if (Date.now() > deadline) break;
            const linli = this.linli;
            this.stopping = true;
            await sendRaw(this.port, c.request, c.request.hangs ? HELD_MS : REQUEST_TIMEOUT_MS);
            const exited = await this.exitOf(linli, AFTERMATH_MS);
            this.stopping = false;
            if (exited) {
                await this.startServer();
                return c;
            }
        }
        return null;
    }

    /** Whether the process has exited, or does within `ms`. */
    private exitOf(linli: LinliProcess | undefined, ms: number): Promise<boolean> {
        return new Promise<boolean>((resolve) => {
            if (!linli || linli.child.exitCode !== null || linli.child.signalCode !== null) return resolve(true);
            const onExit = () => {
                clearTimeout(timer);
                resolve(true);
            };
            const timer = setTimeout(() => {
                linli.child.off('exit', onExit);
                resolve(false);
            }, ms);
            linli.child.once('exit', onExit);
        });
    }

    /** After the barrage, an owner greets and complains as usual and gets sensible answers. */
    private async conversationStillWorks(): Promise<void> {
        const alive = this.linli?.child.exitCode === null && this.linli.child.signalCode === null;
        if (!alive) {
            this.findings.push({ kind: 'conversation', detail: 'the server was not running at the end', cases: [] });
            return;
        }
        const conversation = `fuzz-after-${this.options.seed}-${Date.now()}`;
        for (const [text, intent] of [
            ['您好', 'greeting'],
            ['电梯三天两头坏，住户意见很大', 'complaint'],
        ] as const) {
            const answer = await this.post('/api/messages', {
                type: 'message',
                channelId: 'emulator',
                deliveryMode: 'expectReplies',
                conversation: { id: conversation },
                from: { id: 'fuzz-owner-after' },
                recipient: { id: 'linli' },
                text,
            }).catch((error: unknown) => ({ status: 0, json: { error: String(error) } }));
            const activities = (answer.json as { activities?: { type: string; name?: string; text?: string; value?: { intent?: string } }[] } | null)?.activities ?? [];
            const understood = activities.find((a) => a.type === 'trace' && a.name === 'linli.nlu')?.value?.intent;
            const replied = activities.some((a) => a.type === 'message' && (a.text ?? '').trim().length > 0);
            if (answer.status !== 200 || understood !== intent || !replied) {
                this.findings.push({ kind: 'conversation', detail: `"${text}" after the barrage: status ${answer.status}, intent ${understood ?? 'none'} (expected ${intent}), ${replied ? 'a reply' : 'no reply'}: ${JSON.stringify(answer.json).slice(0, 300)}`, cases: [] });
            }
        }
    }

    private async cleanUp(): Promise<void> {
        if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
        if (this.redisPrefix) {
            const redis = await reachableRedis();
            if (redis) {
                await dropPrefix(redis, this.redisPrefix);
                redis.disconnect();
            }
        }
    }
}

/** The report as the CLI prints it and the test shows it on failure. */
export function formatReport(report: FuzzReport): string {
    const lines = [
        `fuzz on ${report.store}: seed ${report.seed}, ${report.requests} requests in ${report.seconds.toFixed(1)} s, max RSS ${Math.round(report.maxRssBytes / 2 ** 20)} MiB`,
        `  by status: ${Object.entries(report.byStatus)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}`,
        `  slowest attacks (mean ms): ${Object.entries(report.msByAttack)
            .map(([attack, t]) => [attack, Math.round(t.ms / t.requests)] as const)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5)
            .map(([attack, ms]) => `${attack} ${ms}`)
            .join(', ')}`,
        `  5xx: ${report.findings.filter((f) => f.kind === '5xx').reduce((n, f) => n + (f.times ?? 1), 0)}, crashes: ${report.findings.filter((f) => f.kind === 'crash').length}`,
    ];
    for (const finding of report.findings) {
        lines.push(`  ✗ ${finding.kind}${finding.times && finding.times > 1 ? ` (${finding.times} requests)` : ''}: ${finding.detail.split('\n').join('\n      ')}`);
        for (const c of finding.cases.slice(0, 8)) lines.push(`      case ${c.index} [${c.attack}] ${c.label.slice(0, 300)}\n        replay: ${report.replay(c.index)}`);
        if (finding.cases.length > 8) lines.push(`      … and ${finding.cases.length - 8} more`);
    }
    lines.push(report.findings.length ? `  FAILED (${report.findings.length} finding(s))` : '  passed: no 5xx, no crash, RSS under the limit, a normal conversation afterwards');
    return lines.join('\n');
}
