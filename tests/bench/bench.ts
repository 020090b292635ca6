import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { ConversationState, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { conversationTtl } from '../../bot/storage/PingableStorage';
import { SqliteStorage } from '../../adapters/storage/SqliteStorage';
import { Linli } from '../../bot/Linli';
import { createLogger } from '../../bot/logger';
import { EchoBot } from './EchoBot';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, testRedisUrl } from '../../bot/config';
import { KnowledgeBase } from '../../bot/knowledge/KnowledgeBase';
import { KnowledgeRetriever } from '../../bot/knowledge/KnowledgeRetriever';
import { KnowledgeService } from '../../bot/knowledge/KnowledgeService';
import { MessageShapeReader } from '../../bot/nlu/MessageShape';
import { Phrasebook } from '../../bot/Phrasebook';
import { normalizeText } from '../../bot/middleware/NormalizeMiddleware';
import { EntityExtractor } from '../../bot/nlu/EntityExtractor';
import { NluRecognizer } from '../../bot/nlu/NluRecognizer';
import { ReadingEvidence } from '../../bot/nlu/ReadingEvidence';
import { Tokenizer } from '../../bot/nlu/Tokenizer';
import { MODEL_FILE } from '../../bot/nlu/trainModel';
import { PROJECT_ROOT } from '../../bot/paths';
import WebSocket from 'ws';

/**
 * `npm run bench`: N concurrent simulated conversations over HTTP with expectReplies, against Linli on Redis and
 * against a bare botbuilder echo bot on the same Redis storage, both started here, one after the other, in one run.
 * Each server gets the machine to itself while it is measured; the load generator is this process.
 */
const { values } = parseArgs({
    options: {
        // Owners talking at once; each owner's conversation lasts `turns` turns, then that owner starts a new one.
        conversations: { type: 'string', default: '200' },
        turns: { type: 'string', default: '10' },
        // Seconds of load before measuring (JIT, connections, caches), then seconds measured.
        warmup: { type: 'string', default: '3' },
        seconds: { type: 'string', default: '8' },
        'linli-log-level': { type: 'string', default: 'info' },
        // Writes a V8 CPU profile of the Linli process into this directory (open it in Chrome DevTools).
        'linli-cpu-prof': { type: 'string' },
        // The same for the echo baseline, to compare where the two spend their time.
        'echo-cpu-prof': { type: 'string' },
        // Prints Linli's p50/p99 per message, to see which kinds of turn make the tail.
        'by-message': { type: 'boolean', default: false },
        // Every owner's conversations equally long from the start, so openings come in lockstep (as the bench did
        // before they were spread): shows what a burst of openings costs.
        lockstep: { type: 'boolean', default: false },
        // Extra Node flags for the Linli process (e.g. "--trace-gc"); its stdout then goes to linli-stdout.
        'linli-node-args': { type: 'string', default: '' },
        'linli-stdout': { type: 'string' },
        // Measures only the in-process cost of understanding (no servers, no Redis) and stops: a quick check of its tail.
        'understanding-only': { type: 'boolean', default: false },
        // Runs the date model on every message with a time word, as the understanding timing did before it followed TurnReader.
        'all-times': { type: 'boolean', default: false },
    },
});
const CONVERSATIONS = Number(values.conversations);
const TURNS = Number(values.turns);
const WARMUP_MS = Number(values.warmup) * 1000;
const MEASURE_MS = Number(values.seconds) * 1000;

// The V8 flags `npm start` gives Linli (bot/start.cjs), given to both servers so the ratio compares code, not tuning.
const RUNTIME_FLAGS = ['--max-semi-space-size=64'];

// What owners say, cycled, so Linli's understanding and routing do real work.
const MESSAGES = [
    '您好',
    '请问物业费怎么交',
    '电梯三天两头坏，住户意见很大',
    '厨房水槽下面漏水了，麻烦来修',
    '我昨天的报修有人接了吗',
    '房子空置可以少交物业费吗',
    '谢谢，没别的事了',
    '最近经济困难，交不上物业费了',
    '讲个笑话吧',
    '楼道的窗户玻璃碎了',
    '明天下午三点能来修吗',
    '我姓张，5号楼2单元1502',
];

interface Server {
    name: string;
    url: string;
    child: ChildProcess;
}

async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
}

/** The servers this bench started and that are still running. */
const running = new Set<ChildProcess>();

/** Starts a server process on a free port and waits until it answers (whatever its log level). */
async function start(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = [], stdoutFile?: string): Promise<Server> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', ...nodeArgs, join(PROJECT_ROOT, 'dist', entry)], {
        env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
        stdio: ['ignore', stdoutFile ? openSync(stdoutFile, 'w') : 'ignore', 'inherit'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
        // Any HTTP answer (even 404) means the server is listening.
        const up = await fetch(`${url}/`).then(() => true, () => false);
        if (up) return { name, url, child };
        if (Date.now() > deadline) throw new Error(`${name} did not answer within 15 s`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

async function stop(server: Server): Promise<void> {
    await new Promise<void>((resolve) => {
        server.child.once('exit', () => resolve());
        server.child.kill('SIGTERM');
    });
}

// node:http with a keep-alive agent: fetch costs the load generator several times more CPU per request, and on two
// cores a saturated generator shows up as latency tails that belong to neither bot.
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function post(url: string, body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
        const req = request(`${url}/api/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

async function turn(url: string, conversationId: string, text: string): Promise<number> {
    const body = JSON.stringify({
        type: 'message',
        // Azure's Direct Line channel: `webchat` is Linli's own (its Direct Line run), refused on /api/messages.
        channelId: 'directline',
        deliveryMode: 'expectReplies',
        serviceUrl: 'http://127.0.0.1:1',
        conversation: { id: conversationId },
        from: { id: `owner-${conversationId}`, role: 'user' },
        recipient: { id: 'bot', role: 'bot' },
        text,
    });
    const started = performance.now();
    const res = await post(url, body);
    const elapsed = performance.now() - started;
    const parsed = JSON.parse(res.text) as { activities?: unknown[] };
    if (res.status !== 200 || !parsed.activities?.length) throw new Error(`turn failed: ${res.status} ${res.text}`);
    return elapsed;
}

/** The bench's site secret for the Direct Line run (the server is the bench's own, on loopback). */
const BENCH_SECRET = 'bench-direct-line-secret-0123456789abcdef';

function call(url: string, method: string, path: string, bearer: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    return new Promise((resolve, reject) => {
        const req = request(`${url}${path}`, {
            method,
            agent,
            headers: { authorization: `Bearer ${bearer}`, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
        }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> }));
        });
        req.on('error', reject);
        req.end(payload);
    });
}

/** One owner's web conversation: its token and its stream, with the replies seen on it by the activity they answer. */
class WebOwner {
    private readonly answered = new Set<string>();
    private readonly waiting = new Map<string, () => void>();

    private constructor(
        private readonly url: string,
        private readonly conversationId: string,
        private readonly token: string,
        private readonly ws: WebSocket,
    ) {
        ws.on('message', (data) => {
            for (const activity of (JSON.parse(String(data)) as { activities: Partial<Activity>[] }).activities) {
                if (activity.type !== 'message' || activity.from?.role !== 'bot' || !activity.replyToId) continue;
                this.answered.add(activity.replyToId);
                this.waiting.get(activity.replyToId)?.();
            }
        });
    }

    static async open(url: string): Promise<WebOwner> {
        const generated = await call(url, 'POST', '/v3/directline/tokens/generate', BENCH_SECRET, {});
        const started = await call(url, 'POST', '/v3/directline/conversations', String(generated.json.token), {});
        if (started.status !== 201) throw new Error(`direct line: conversation not started (${started.status})`);
        const ws = new WebSocket(String(started.json.streamUrl));
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        return new WebOwner(url, String(started.json.conversationId), String(started.json.token), ws);
    }

    /** Post, then the bot's reply on the socket: the milliseconds until both are in. */
    async turn(text: string): Promise<number> {
        const started = performance.now();
        const posted = await call(this.url, 'POST', `/v3/directline/conversations/${this.conversationId}/activities`, this.token, { type: 'message', from: { id: 'bench' }, text });
        const id = String(posted.json.id ?? '');
        if (posted.status !== 200 || !id) throw new Error(`direct line turn failed: ${posted.status}`);
        if (!this.answered.has(id)) {
            await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error('direct line: no reply on the socket within 15 s')), 15_000);
                this.waiting.set(id, () => {
                    clearTimeout(timer);
                    resolve();
                });
            });
            this.waiting.delete(id);
        }
        this.answered.delete(id);
        return performance.now() - started;
    }

    close(): void {
        this.ws.close();
    }
}

interface Figures {
    turns: number;
    seconds: number;
    turnsPerSecond: number;
    p50: number;
    p99: number;
    /** The server's CPU (user + system) per turn over the measured window, openings included: steadier than latency on a shared machine. */
    cpuMsPerTurn: number;
}

/** CPU milliseconds a process has used so far (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
    try {
        // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
        return NaN;
    }
}
/** USER_HZ, 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** One owner's conversation: a turn function (the milliseconds of a turn), and what ends it. */
interface OwnerConversation {
    turn(text: string): Promise<number>;
    close(): void;
}

/** expectReplies over /api/messages: the replies in the response body. */
const expectRepliesConversation = (url: string, conversationId: string): Promise<OwnerConversation> =>
    Promise.resolve({ turn: (text: string) => turn(url, conversationId, text), close: () => {} });

/** Direct Line: post the activity, receive the reply on the conversation's WebSocket. */
const directLineConversation = async (url: string): Promise<OwnerConversation> => WebOwner.open(url);

async function load(
    server: Server,
    run: string,
    byMessage?: Map<string, number[]>,
    open: (url: string, conversationId: string) => Promise<OwnerConversation> = expectRepliesConversation,
): Promise<Figures> {
    const latencies: number[] = [];
    const slowest = byMessage ? ([] as { at: number; ms: number; text: string }[]) : undefined;
    // Steady load: every owner keeps exactly one request in flight from start to end, so the measured window sees
    // the same concurrency throughout. (An earlier version ran all warm-ups, then all conversations at once: each run
    // opened with 200 requests in the same instant, and that one synthetic burst was the whole p99.)
    let measureFrom = Infinity;
    let measureTo = Infinity;
    // When each conversation was opened and how long the opening took (for a run's detail, `--by-message`).
    const openings: { at: number; ms: number }[] = [];
    const owner = async (o: number) => {
        for (let conversationNo = 0; performance.now() < measureTo; conversationNo++) {
            const openedAt = performance.now();
            const conversation = await open(server.url, `${run}-${o}-${conversationNo}`);
            if (openedAt >= measureFrom && openedAt < measureTo) openings.push({ at: openedAt - measureFrom, ms: performance.now() - openedAt });
            // Owners' first conversations are 1 to TURNS turns long, so that later ones open spread out as real owners
            // arrive, not all 200 in the same instant every TURNS turns: all starting at once with equal lengths kept
            // the openings in lockstep (159 of 200 within 250 ms), a synthetic burst on whatever each opening costs.
            const turns = conversationNo === 0 && !values.lockstep ? 1 + (o % TURNS) : TURNS;
            for (let t = 0; t < turns && performance.now() < measureTo; t++) {
                const text = MESSAGES[(o + t) % MESSAGES.length] ?? '您好';
                const sentAt = performance.now();
                const ms = await conversation.turn(text);
                const doneAt = performance.now();
                if (doneAt >= measureFrom && doneAt < measureTo) doneWhileMeasured += 1;
                if (sentAt < measureFrom || sentAt >= measureTo) continue;
                latencies.push(ms);
                if (byMessage) {
                    const samples = byMessage.get(text) ?? [];
                    samples.push(ms);
                    byMessage.set(text, samples);
                }
                slowest?.push({ at: sentAt - measureFrom, ms, text });
            }
            conversation.close();
        }
    };
    // CPU over the measured window only (the first run's warm-up is also the server's JIT), per turn finished in it.
    let doneWhileMeasured = 0;
    let cpuAtStart = NaN;
    let cpuAtEnd = NaN;
    const started = performance.now();
    measureFrom = started + WARMUP_MS;
    measureTo = measureFrom + MEASURE_MS;
    const startTimer = setTimeout(() => (cpuAtStart = cpuMs(server.child.pid)), WARMUP_MS);
    const endTimer = setTimeout(() => (cpuAtEnd = cpuMs(server.child.pid)), WARMUP_MS + MEASURE_MS);
    await Promise.all(Array.from({ length: CONVERSATIONS }, (_, o) => owner(o)));
    clearTimeout(startTimer);
    clearTimeout(endTimer);
    const seconds = MEASURE_MS / 1000;
    if (slowest) {
        slowest.sort((a, b) => b.ms - a.ms);
        console.log(`${run}: slowest turns (sent at s since start, ms): ${slowest.slice(0, 25).map((s) => `${(s.at / 1000).toFixed(2)}s:${s.ms.toFixed(0)}`).join(' ')}`);
        openings.sort((a, b) => a.at - b.at);
        // Openings bunched in one instant are a burst of work that lands on the turns around it.
        let bunched = 0;
        for (let i = 0, j = 0; i < openings.length; i++) {
            while ((openings[i]?.at ?? 0) - (openings[j]?.at ?? 0) > 250) j++;
            bunched = Math.max(bunched, i - j + 1);
        }
        const took = openings.map((o) => o.ms).sort((a, b) => a - b);
        console.log(`${run}: ${openings.length} conversations opened while measured, p50 ${percentile(took, 50).toFixed(0)} ms  p99 ${percentile(took, 99).toFixed(0)} ms; at most ${bunched} begun within 250 ms`);
    }
    latencies.sort((a, b) => a - b);
    const cpuMsPerTurn = (cpuAtEnd - cpuAtStart) / doneWhileMeasured;
    return { turns: latencies.length, seconds, turnsPerSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuMsPerTurn };
}

function row(name: string, f: Figures): string {
    return `${name.padEnd(18)} ${f.turns.toString().padStart(6)} turns  ${f.turnsPerSecond.toFixed(0).padStart(6)} turns/s  p50 ${f.p50.toFixed(1).padStart(7)} ms  p99 ${f.p99.toFixed(1).padStart(7)} ms  CPU ${f.cpuMsPerTurn.toFixed(2)} ms/turn`;
}

/** What understanding and retrieval add to a turn: recognise, look up, extract, on the same messages, in-process. */
function understandingCost(): { p50: number; p99: number; byMessage: Map<string, number[]> } {
    const knowledgeDir = join(PROJECT_ROOT, 'knowledge');
    const tokenizer = new Tokenizer(join(knowledgeDir, 'nlu', 'domain-dict.txt'));
    const base = KnowledgeBase.fromDirectory(knowledgeDir);
    const retriever = KnowledgeRetriever.forKnowledge(knowledgeDir, base.entries, tokenizer);
    const evidence = ReadingEvidence.fromFile(join(knowledgeDir, 'nlu', 'evidence.json'), (text) => retriever.search(text)[0]?.metadata.score ?? 0);
    const recognizer = NluRecognizer.fromKnowledge(knowledgeDir, tokenizer, MODEL_FILE, evidence);
    const phrasebook = Phrasebook.fromFile(join(PROJECT_ROOT, 'scripts', 'phrases.json'), base.estate);
    const knowledge = new KnowledgeService(base, retriever, phrasebook);
    const entities = new EntityExtractor();
    const shapes = MessageShapeReader.fromFile(join(knowledgeDir, 'message-shapes.json'));
    entities.warm();
    const samples: number[] = [];
    const byMessage = new Map<string, number[]>();
    for (let i = 0; i < 3000; i++) {
        const text = normalizeText(MESSAGES[i % MESSAGES.length] ?? '');
        const started = performance.now();
        shapes.read(text);
        const understanding = recognizer.recognize(text);
        if (understanding.intent === 'faq' || understanding.intent === 'fee_arrears') knowledge.lookup(text);
        // As a turn does (TurnReader): the date model only for a repair read outside a flow (a visit time in the first
        // message), unless --all-times asks for it on every message.
        entities.extract(text, values['all-times'] || understanding.intent === 'repair');
        if (i >= 500) {
            const ms = performance.now() - started;
            samples.push(ms);
            const own = byMessage.get(text) ?? [];
            own.push(ms);
            byMessage.set(text, own);
        }
    }
    samples.sort((a, b) => a - b);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99), byMessage };
}

/**
 * CPU per turn without HTTP or Redis: each bot on an in-memory SQLite store behind botbuilder's TestAdapter, turns
 * one after another. Shows what Linli's own work costs next to a bare bot's, apart from transport and store.
 */
async function inProcessTurnCost(): Promise<{ echo: number; linli: number }> {
    const drive = async (adapter: TestAdapter, logic: (context: TurnContext) => Promise<void>, tag: string): Promise<number> => {
        const conversations = 300;
        const started = performance.now();
        for (let c = 0; c < conversations; c++) {
            for (let t = 0; t < TURNS; t++) {
                const activity = { type: 'message', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1', deliveryMode: 'expectReplies', conversation: { id: `${tag}-${c}` }, from: { id: `owner-${c}` }, recipient: { id: 'bot' }, text: MESSAGES[(c + t) % MESSAGES.length] ?? '您好' };
                await adapter.processActivity(activity as Partial<Activity>, logic);
            }
        }
        return (performance.now() - started) / (conversations * TURNS);
    };
    const state = new ConversationState(new SqliteStorage(':memory:', conversationTtl(600)));
    const echo = new EchoBot(state);
    const echoAdapter = new TestAdapter();
    await drive(echoAdapter, (context) => echo.run(context), 'warm');
    const echoMs = await drive(echoAdapter, (context) => echo.run(context), 'echo');

    const config = loadConfig({ LOG_LEVEL: values['linli-log-level'], DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-bench-')) });
    const linli = await Linli.create(config, createLogger(config.LOG_LEVEL, new Writable({ write: (_chunk, _encoding, done) => done() })), {
        storage: new SqliteStorage(':memory:', conversationTtl(600)),
    });
    const adapter = linli.attach(new TestAdapter());
    linli.warm();
    await drive(adapter, (context) => linli.bot.run(context), 'warm');
    const linliMs = await drive(adapter, (context) => linli.bot.run(context), 'linli');
    await linli.close();
    return { echo: echoMs, linli: linliMs };
}

async function main(): Promise<void> {
    if (values['understanding-only']) {
        const cost = understandingCost();
        console.log(`understanding + retrieval + entities per message: p50 ${cost.p50.toFixed(3)} ms  p99 ${cost.p99.toFixed(3)} ms`);
        for (const [text, samples] of cost.byMessage) {
            samples.sort((a, b) => a - b);
            console.log(`  ${text.padEnd(24, '　')} p50 ${percentile(samples, 50).toFixed(3)} ms  p99 ${percentile(samples, 99).toFixed(3)} ms`);
        }
        return;
    }
    const turnCost = await inProcessTurnCost();
    console.log(
        `in-process turn, no HTTP or Redis (in-memory SQLite): echo ${turnCost.echo.toFixed(3)} ms  Linli ${turnCost.linli.toFixed(3)} ms  ` +
            `(Linli's own work ${(turnCost.linli - turnCost.echo).toFixed(3)} ms a turn)`,
    );
    const cost = understandingCost();
    console.log(`understanding + retrieval + entities per message: p50 ${cost.p50.toFixed(3)} ms  p99 ${cost.p99.toFixed(3)} ms  (goal: ≤ 2 ms median)`);
    const redisUrl = testRedisUrl();
    const run = `bench-${Date.now().toString(36)}`;
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `linli-bench:${run}:`, CONVERSATION_TTL_SECONDS: '600' };
    console.log(
        `bench: ${CONVERSATIONS} owners at once, one request each in flight, conversations of ${TURNS} turns; ${values.warmup} s warm-up, ` +
            `${values.seconds} s measured${values.lockstep ? ', openings in lockstep' : ''}; expectReplies, Redis ${redisUrl}`,
    );

    const echoProfileDir = values['echo-cpu-prof'];
    const echo = await start('echo', 'tests/bench/echoServer.js', env, [...RUNTIME_FLAGS, ...(echoProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${echoProfileDir}`] : [])]);
    const echoFigures = await load(echo, `${run}-echo`).finally(() => stop(echo));
    const profileDir = values['linli-cpu-prof'];
    const nodeArgs = [...RUNTIME_FLAGS, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...values['linli-node-args'].split(' ').filter(Boolean)];
    const linli = await start('linli', 'bot/index.js', { ...env, LOG_LEVEL: values['linli-log-level'], DIRECT_LINE_SECRET: BENCH_SECRET }, nodeArgs, values['linli-stdout']);
    const byMessage = values['by-message'] ? new Map<string, number[]>() : undefined;
    const linliFigures = await load(linli, `${run}-linli`, byMessage);
    // The same server and load over its own Direct Line: post, and the reply pushed on the conversation's socket.
    const directLineByMessage = values['by-message'] ? new Map<string, number[]>() : undefined;
    const directLineFigures = await load(linli, `${run}-dl`, directLineByMessage, directLineConversation);
    // A failed turn still answers (with an apology), so count Linli's own errors rather than trust the replies.
    const metrics = await (await fetch(`${linli.url}/metrics`)).text();
    await stop(linli);
    if (values['by-message']) console.log(metrics.split('\n').filter((l) => l.startsWith('linli_turn_duration_seconds_bucket')).join('\n'));
    const errors = [...metrics.matchAll(/^linli_errors_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);

    console.log(row('echo bot (Redis)', echoFigures));
    console.log(`${row('Linli (Redis)', linliFigures)}  errors ${errors}`);
    for (const [text, samples] of byMessage ?? []) {
        samples.sort((a, b) => a - b);
        console.log(`  ${text.padEnd(24, '　')} p50 ${percentile(samples, 50).toFixed(0).padStart(5)} ms  p99 ${percentile(samples, 99).toFixed(0).padStart(5)} ms`);
    }
    console.log(row('Linli Direct Line', directLineFigures));
    for (const [text, samples] of directLineByMessage ?? []) {
        samples.sort((a, b) => a - b);
        console.log(`  ${text.padEnd(24, '　')} p50 ${percentile(samples, 50).toFixed(0).padStart(5)} ms  p99 ${percentile(samples, 99).toFixed(0).padStart(5)} ms`);
    }
    const p99Ratio = linliFigures.p99 / echoFigures.p99;
    const directLineRatio = directLineFigures.p99 / linliFigures.p99;
    console.log(
        `ratio Linli/echo: p50 ${(linliFigures.p50 / echoFigures.p50).toFixed(2)}×  p99 ${p99Ratio.toFixed(2)}×  ` +
            `throughput ${(linliFigures.turnsPerSecond / echoFigures.turnsPerSecond).toFixed(2)}×  (goal: p99 ≤ 1.5×) ${p99Ratio <= 1.5 ? 'MET' : 'NOT MET'}`,
    );
    console.log(
        `ratio Direct Line/expectReplies: p50 ${(directLineFigures.p50 / linliFigures.p50).toFixed(2)}×  p99 ${directLineRatio.toFixed(2)}×  ` +
            `throughput ${(directLineFigures.turnsPerSecond / linliFigures.turnsPerSecond).toFixed(2)}×  CPU/turn ${(directLineFigures.cpuMsPerTurn / linliFigures.cpuMsPerTurn).toFixed(2)}×  (goal: p99 ≤ 1.3×) ${directLineRatio <= 1.3 ? 'MET' : 'NOT MET'}`,
    );
}

main().catch((error: unknown) => {
    console.error(error);
    // A server left running would hold the terminal's pipe open (its stderr is ours) and keep loading the machine.
    for (const child of running) child.kill('SIGTERM');
    process.exit(1);
});
