import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bestTimeToFirstAnswer, failedStart, spawnLinli } from '../helpers/spawnLinli';
import { nlu, say, texts } from '../helpers/testServer';

describe('the built server as `npm start` runs it (embedded store)', () => {
    it('answers expectReplies within 2 s of start', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'linli-proc-'));
        const ms = await bestTimeToFirstAnswer({ DATA_DIR: dataDir }, (url) => say(url, '您好', { conversationId: 'timing' }));
        expect(ms).toBeLessThan(2000);
    });

    it('keeps conversation state across a restart', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'linli-proc-'));
        const first = await spawnLinli({ DATA_DIR: dataDir });
        try {
            const turn = await say(first.url, '量子纠缠是什么原理', { conversationId: 'restart' });
            expect(turn.status).toBe(200);
            expect(nlu(turn)).toMatchObject({ escalate: false });
        } finally {
            expect(await first.stop()).toBe(0);
        }
        // The second not-understood turn escalates only if the first one's counter survived the restart.
        const second = await spawnLinli({ DATA_DIR: dataDir });
        try {
            const turn = await say(second.url, '火星上能种土豆吗', { conversationId: 'restart' });
            expect(nlu(turn)).toMatchObject({ escalate: true, escalationReason: 'not_understood' });
            expect(turn.activities.some((a) => a.name === 'handoff.initiate')).toBe(true);
        } finally {
            await second.stop();
        }
    });

    it('writes JSON log lines with phone numbers masked', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'linli-proc-'));
        const linli = await spawnLinli({ DATA_DIR: dataDir });
        let out = '';
        linli.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
        try {
            const turn = await say(linli.url, '我的电话是13812345678，身份证110101199003071234', { conversationId: 'pii' });
            expect(texts(turn).length).toBeGreaterThan(0);
            await new Promise((r) => setTimeout(r, 300));
        } finally {
            await linli.stop();
        }
        const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(lines.some((l) => JSON.stringify(l).includes('138****5678'))).toBe(true);
        expect(out).not.toContain('13812345678');
        expect(out).not.toContain('199003071234');
    });
});

describe('configuration', () => {
    it.each([
        [{ PORT: 'abc' }, 'PORT'],
        [{ REDIS_URL: 'http://nope' }, 'REDIS_URL'],
        [{ AGENT_TOKENS: 'alice' }, 'AGENT_TOKENS'],
        [{ MICROSOFT_APP_ID: 'app-id-only' }, 'MICROSOFT_APP_PASSWORD'],
    ])('%o stops start-up with one line naming %s', async (env, variable) => {
        const { code, stderr } = await failedStart(env);
        expect(code).toBe(2);
        const lines = stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(variable);
    });
});
