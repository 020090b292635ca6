import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SqliteRehearsalStore } from '../../adapters/rehearsals/SqliteRehearsalStore';
import { PROJECT_ROOT } from '../../bot/paths';

const run = promisify(execFile);

/** `npm run rehearse` as a terminal user runs it, with the conversation piped into stdin. */
async function rehearse(stdin: string, dataDir: string): Promise<string> {
    const child = run(process.execPath, ['--disable-warning=DEP0111', join(PROJECT_ROOT, 'bot', 'start.cjs'), 'adapters/console/rehearse.js'], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
        timeout: 20_000,
    });
    child.child.stdin?.end(stdin);
    return (await child).stdout;
}

describe('npm run rehearse', () => {
    it('lists the scenarios, plays the owner, prints the scorecard with the forbidden phrase at its turn, and stores it', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'linli-rehearse-'));
        const out = await rehearse(['lift_complaint', '是哪栋楼的电梯？从什么时候开始停的？', '没办法，合同写了必须交。', '/结束', ''].join('\n'), dataDir);
        for (const id of ['lift_complaint', 'vacant_unit', 'hardship_arrears', 'service_arrears', 'elderly_payment', 'leak_repair']) expect(out).toContain(`(${id})`);
        const ownerLines = out.split('\n').filter((l) => l.startsWith('业主（'));
        expect(ownerLines.length).toBe(3);
        expect(out).toMatch(/== 评分 · 总分 \d+ ==/);
        for (const step of ['倾听', '共情', '澄清', '解决', '回访']) expect(out).toMatch(new RegExp(`^${step} \\d+：`, 'm'));
        expect(out).toContain('第2轮：合同写了必须交');
        const store = new SqliteRehearsalStore(join(dataDir, 'rehearsals.sqlite'));
        const stored = await store.list({ trainee: userInfo().username }, 10);
        store.close();
        expect(stored).toHaveLength(1);
        expect(stored[0]?.scorecard?.forbidden).toEqual(expect.arrayContaining([{ phrase: '合同写了必须交', turn: 1, kind: 'phrase' }]));
    }, 30_000);
});
