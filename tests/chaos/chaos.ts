import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Phrasebook } from '../../bot/Phrasebook';
import { PROJECT_ROOT } from '../../bot/paths';
import { Personas } from '../../bot/nlu/NluResult';
import { RedisServerProcess } from '../helpers/RedisServerProcess';
import { spawnLinli, type LinliProcess } from '../helpers/spawnLinli';
import { ChaosOwner, type Announcement, type ChaosTarget } from './ChaosOwner';
import { TicketAudit, type AuditResult } from './TicketAudit';

/**
 * `npm run chaos`: owners file complaints and repairs while the store under Linli crashes, then every ticket number
 * an owner was told is looked up through the staff API. Two phases, each bounded in time: Linli on a redis-server of
 * our own (AOF, fsync always) that is killed -9 and restarted under load, then Linli on the embedded SQLite store
 * whose server process is killed -9 and restarted under load. Loopback only; the Redis at REDIS_URL is never used.
 * Exit code 1 when an announced ticket is lost or a conversation holds two tickets.
 */
const { values } = parseArgs({
    options: {
        owners: { type: 'string', default: '6' },
        // Seconds of load per phase; the crashes fall at a third and at two thirds of it.
        seconds: { type: 'string', default: '24' },
        // How long Redis stays down at each crash.
        'down-ms': { type: 'string', default: '2000' },
    },
});
const OWNERS = Number(values.owners);
const LOAD_MS = Number(values.seconds) * 1000;
const DOWN_MS = Number(values['down-ms']);
if (!(OWNERS >= 1 && OWNERS <= 200 && LOAD_MS >= 3000 && LOAD_MS <= 300_000 && DOWN_MS >= 0 && DOWN_MS <= 30_000)) {
    process.stderr.write('chaos: --owners 1..200, --seconds 3..300, --down-ms 0..30000\n');
    process.exit(2);
}
// A conversation in hand when the load stops may finish within this (owners re-send while the store is back).
const FINISH_MS = 15_000;
// Start-up takes 2 s on an idle machine; a shared, loaded one can take several times that.
const START_TIMEOUT_MS = 30_000;
const TOKEN = 'chaos-staff-token-0123456789';
const BASE_ENV = { AGENT_TOKENS: `chaos:${TOKEN}`, // info: spawnLinli waits for the "listening" line.
    LOG_LEVEL: 'info', AGENT_API_RATE_PER_MINUTE: '100000' };

/** What Linli says when a turn could not be done (store down, busy, error): the owner is to send it again. */
const phrasebook = Phrasebook.fromFile(join(PROJECT_ROOT, 'scripts', 'phrases.json'));
const RETRY_LINES = (['storage_down', 'busy', 'turn_error'] as const).flatMap((key) => Personas.options.map((persona) => phrasebook.say(key, persona)));

interface PhaseReport {
    name: string;
    crashes: number;
    turns: number;
    unanswered: number;
    refused: number;
    completed: number;
    abandoned: number;
    audit: AuditResult;
    seconds: number;
}

/** Runs the owners against `target` while `crash` is called at a third and two thirds of the load. */
async function underLoad(target: ChaosTarget, phase: string, crash: () => Promise<void>): Promise<{ owners: ChaosOwner[]; announced: Announcement[] }> {
    const announced: Announcement[] = [];
    const start = Date.now();
    const owners = Array.from({ length: OWNERS }, (_, i) => new ChaosOwner(`${phase}${i}`, target, announced, RETRY_LINES));
    const load = Promise.all(owners.map((owner) => owner.run(start + LOAD_MS, start + LOAD_MS + FINISH_MS)));
    for (const at of [LOAD_MS / 3, (2 * LOAD_MS) / 3]) {
        await sleep(Math.max(0, start + at - Date.now()));
        await crash();
    }
    await load;
    return { owners, announced };
}

function summarise(name: string, crashes: number, owners: ChaosOwner[], audit: AuditResult, startedAt: number): PhaseReport {
    const sum = (key: keyof ChaosOwner['tally']) => owners.reduce((total, owner) => total + owner.tally[key], 0);
    return {
        name,
        crashes,
        turns: sum('turns'),
        unanswered: sum('unanswered'),
        refused: sum('refused'),
        completed: sum('completed'),
        abandoned: sum('abandoned'),
        audit,
        seconds: Math.round((Date.now() - startedAt) / 1000),
    };
}

async function redisPhase(): Promise<PhaseReport> {
    const startedAt = Date.now();
    const redis = await RedisServerProcess.create();
    await redis.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-chaos-redis-'));
    let linli: LinliProcess | undefined;
    try {
        linli = await spawnLinli({ ...BASE_ENV, REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'linli-chaos:', DATA_DIR: dataDir }, START_TIMEOUT_MS);
        const target = { url: linli.url };
        let crashes = 0;
        const { owners, announced } = await underLoad(target, 'r', async () => {
            crashes += 1;
            log(`redis: kill -9 (crash ${crashes})`);
            await redis.kill();
            await sleep(DOWN_MS);
            await redis.start();
            log('redis: restarted from its AOF');
        });
        const audit = await new TicketAudit(target.url, TOKEN).check(announced, 'chaos-r');
        return summarise('Redis killed -9 and restarted (AOF, fsync always)', crashes, owners, audit, startedAt);
    } finally {
        await linli?.stop();
        await redis.remove();
        rmSync(dataDir, { recursive: true, force: true });
    }
}

async function sqlitePhase(): Promise<PhaseReport> {
    const startedAt = Date.now();
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-chaos-sqlite-'));
    const env = { ...BASE_ENV, DATA_DIR: dataDir };
    let linli = await spawnLinli(env, START_TIMEOUT_MS);
    try {
        const target = { url: linli.url };
        let crashes = 0;
        const { owners, announced } = await underLoad(target, 's', async () => {
            crashes += 1;
            log(`sqlite: server kill -9 (crash ${crashes})`);
            const gone = new Promise<void>((resolve) => linli.child.once('exit', () => resolve()));
            linli.child.kill('SIGKILL');
            await gone;
            linli = await spawnLinli(env, START_TIMEOUT_MS);
            target.url = linli.url;
            log('sqlite: server restarted on the same DATA_DIR');
        });
        const audit = await new TicketAudit(target.url, TOKEN).check(announced, 'chaos-s');
        return summarise('Linli on SQLite killed -9 and restarted', crashes, owners, audit, startedAt);
    } finally {
        await linli.stop();
        rmSync(dataDir, { recursive: true, force: true });
    }
}

function log(line: string): void {
    process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function print(report: PhaseReport): void {
    const { audit } = report;
    process.stdout.write(
        [
            `\n${report.name} — ${report.crashes} crashes, ${report.seconds} s`,
            `  owner turns ${report.turns} (unanswered ${report.unanswered}, asked to try again ${report.refused}), conversations completed ${report.completed}, abandoned ${report.abandoned}`,
            `  tickets announced ${audit.announced}, found ${audit.found}, lost ${audit.lost.length}, duplicated ${audit.duplicated.length}`,
            ...(audit.listComplete ? [] : [`  (GET /api/tickets listed ${audit.listed}, not every ticket: duplicates checked on what it listed and on the numbers announced)`]),
            ...audit.lost.map((id) => `  LOST ${id}`),
            ...audit.duplicated.map((d) => `  DUPLICATED ${d.conversationId}: ${d.tickets.map((id) => (audit.announcedIds.has(id) ? `${id} (announced)` : `${id} (never announced)`)).join(', ')}`),
        ].join('\n') + '\n',
    );
}

async function main(): Promise<void> {
    log(`${OWNERS} owners, ${LOAD_MS / 1000} s of load per phase, Redis down ${DOWN_MS} ms per crash`);
    const reports = [await redisPhase(), await sqlitePhase()];
    reports.forEach(print);
    const violations = reports.reduce((n, r) => n + r.audit.lost.length + r.audit.duplicated.length, 0);
    const nothingAnnounced = reports.some((r) => r.audit.announced === 0);
    if (nothingAnnounced) process.stdout.write('\nchaos: FAIL — a phase announced no ticket at all, so it checked nothing\n');
    process.stdout.write(violations === 0 && !nothingAnnounced ? '\nchaos: PASS\n' : `\nchaos: FAIL — ${violations} violation(s)\n`);
    process.exitCode = violations === 0 && !nothingAnnounced ? 0 : 1;
}

main()
    .catch((error: unknown) => {
        process.stderr.write(`chaos failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
    })
    // Stops by itself whatever is left open (a fetch timing out, a child's pipe).
    .finally(() => process.exit());
