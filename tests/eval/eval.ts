import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bot/config';
import { createCloudAdapter } from '../../bot/createCloudAdapter';
import { Linli } from '../../bot/Linli';
import { createLogger } from '../../bot/logger';
import { makeServer } from '../../bot/server';

/**
 * `npm run eval -- FILE.tsv`: every utterance of a file in the dev-set format goes through the real pipeline (HTTP,
 * middleware, understanding, dialogs) as the first message of a fresh conversation on the emulator channel; the
 * `linli.nlu` trace and the replies are compared with the labels. Prints every miss, then one summary line.
 */
interface Row {
    id: string;
    intent: string;
    sub: string | null;
    escalate: boolean;
    persona: string | null;
    must: string[][];
    text: string;
}

function parse(file: string): Row[] {
    return readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('#'))
        .map((line) => {
            const [id = '', intent = '', sub = '-', escalate = '0', persona = '-', must = '-', ...text] = line.split('\t');
            return {
                id,
                intent,
                sub: sub === '-' ? null : sub,
                escalate: escalate === '1',
                persona: persona === '-' ? null : persona,
                must: must === '-' ? [] : must.split(' && ').map((group) => group.split('|')),
                text: text.join('\t'),
            };
        });
}

interface Trace {
    intent: string;
    sub: string | null;
    persona: string;
    escalate: boolean;
    escalationReason: string | null;
    /** The two readings Linli asked between, when it asked. */
    clarify?: string[] | null;
}

interface Reply {
    type?: string;
    name?: string;
    text?: string;
    value?: unknown;
}

const pct = (hit: number, total: number) => (total === 0 ? 'n/a' : `${((100 * hit) / total).toFixed(1)}%`);

async function main(): Promise<void> {
    const file = process.argv[2];
    if (!file) throw new Error('usage: npm run eval -- FILE.tsv');
    const rows = parse(file);
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-eval-'));
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const logger = createLogger('silent');
    const linli = await Linli.create(config, logger);
    const server = makeServer({ linli, adapter: linli.attach(createCloudAdapter(config)), logger });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;

    const counts = { intent: 0, sub: 0, subTotal: 0, escalated: 0, escalateTotal: 0, falseEscalations: 0, calmTotal: 0, persona: 0, personaTotal: 0, content: 0, contentTotal: 0, clarified: 0 };
    const misses: string[] = [];
    const started = performance.now();
    for (const row of rows) {
        const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                type: 'message',
                channelId: 'emulator',
                deliveryMode: 'expectReplies',
                conversation: { id: `eval-${row.id}` },
                from: { id: `eval-owner-${row.id}`, role: 'user' },
                recipient: { id: 'linli', role: 'bot' },
                text: row.text,
            }),
        });
        const { activities = [] } = (await res.json()) as { activities?: Reply[] };
        const trace = activities.find((a) => a.type === 'trace' && a.name === 'linli.nlu')?.value as Trace | undefined;
        const reply = activities
            .filter((a) => a.type === 'message')
            .map((a) => a.text ?? '')
            .join('\n');
        const miss = (what: string) => misses.push(`${row.id}\t${what}\t${row.text}\t→ ${reply.replace(/\n/g, ' ').slice(0, 80)}`);
        if (!trace) {
            miss('no linli.nlu trace');
            continue;
        }
        // Asking counts as the most likely reading (the trace's intent); how often Linli asks is reported apart.
        if (trace.clarify?.length) counts.clarified++;
        if (trace.intent === row.intent) counts.intent++;
        else miss(`intent ${row.intent} → ${trace.intent}`);
        if (row.sub) {
            counts.subTotal++;
            if (trace.sub === row.sub) counts.sub++;
            else miss(`sub ${row.sub} → ${trace.sub}`);
        }
        if (row.escalate) {
            counts.escalateTotal++;
            if (trace.escalate) counts.escalated++;
            else miss('escalation missed');
        } else {
            counts.calmTotal++;
            if (trace.escalate) {
                counts.falseEscalations++;
                miss(`false escalation (${trace.escalationReason})`);
            }
        }
        if (row.persona) {
            counts.personaTotal++;
            if (trace.persona === row.persona) counts.persona++;
            else miss(`persona ${row.persona} → ${trace.persona}`);
        }
        if (row.must.length > 0) {
            counts.contentTotal++;
            const missing = row.must.filter((group) => !group.some((alt) => reply.includes(alt)));
            if (missing.length === 0) counts.content++;
            else miss(`content lacks ${missing.map((g) => g.join('|')).join(' && ')}`);
        }
    }
    const msPerTurn = (performance.now() - started) / rows.length;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await linli.close();
    rmSync(dataDir, { recursive: true, force: true });

    for (const line of misses) console.log(`miss\t${line}`);
    console.log(
        `intent ${pct(counts.intent, rows.length)} | sub ${pct(counts.sub, counts.subTotal)} | escalation recall ${pct(counts.escalated, counts.escalateTotal)}` +
            ` | false escalation ${pct(counts.falseEscalations, counts.calmTotal)} | persona ${pct(counts.persona, counts.personaTotal)}` +
            ` | content ${pct(counts.content, counts.contentTotal)} | asked to clarify ${pct(counts.clarified, rows.length)} | n=${rows.length}, ${msPerTurn.toFixed(1)} ms/turn`,
    );
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
