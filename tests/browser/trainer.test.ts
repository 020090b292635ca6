import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../bot/paths';
import { poll } from '../helpers/agentConsoleScenario';
import { launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/testServer';

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-01234567890';
const SCREENSHOT = join(PROJECT_ROOT, 'dist', 'screenshots', 'trainer.png');
let server: TestServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function rehearse(token: string, scenario: string, turns: string[]): Promise<void> {
    const post = (path: string, body?: unknown) =>
        fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const { id } = (await (await post('/api/rehearsals', { scenario, seed: 1 })).json()) as { id: string };
    for (const text of turns) await post(`/api/rehearsals/${id}/turns`, { text });
    await post(`/api/rehearsals/${id}/finish`);
}

beforeAll(async () => {
    server = await startTestServer({ AGENT_TOKENS: `alice:${ALICE},bob:${BOB}` });
    // A team with a history: bob has practised twice, badly then better.
    await rehearse(BOB, 'vacant_unit', ['合同写了必须交，空不空跟我们没关系。']);
    await rehearse(BOB, 'vacant_unit', ['您好，方便说说是几号楼哪一户、空了多久吗？', '我确认一下：您是说15号楼2单元801空了两年，对吗？']);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
        // The browser asks for /favicon.ico on its own; the page does not use one.
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(`${message.text()} ${message.location().url}`);
    });
}, 30_000);
afterAll(async () => {
    await browser?.close();
    await server?.close();
});

describe('/trainer in Chromium', () => {
    it('serves the page under a strict CSP, and Chart.js from node_modules', async () => {
        const res = await fetch(`${server.url}/trainer`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        const chart = await fetch(`${server.url}/vendor/chart.umd.min.js`);
        expect(chart.status).toBe(200);
        expect(await chart.text()).toMatch(/Chart\.js v4\./);
    });

    it('rehearses a scenario, shows the scorecard step by step, and the report charts each trainee and the weakest steps', async () => {
        await page.goto(`${server.url}/trainer`);
        await page.getByTestId('token').fill(ALICE);
        await page.getByRole('button', { name: '登录' }).click();
        await poll(() => page.getByTestId('who').textContent()).toBe('alice');
        await poll(() => page.locator('#scenario option').count()).toBeGreaterThanOrEqual(6);
        await page.getByTestId('scenario').selectOption('lift_complaint');
        await page.getByTestId('start').click();
        const dialogue = page.getByTestId('dialogue');
        await poll(() => dialogue.locator('li[data-role=owner]').count()).toBe(1);
        for (const text of ['您好，先别急。是哪栋楼的电梯？从什么时候开始停的？', '我们会尽快安排师傅。']) {
            const owners = await dialogue.locator('li[data-role=owner]').count();
            await page.getByTestId('reply').fill(text);
            await page.getByTestId('send').click();
            await poll(() => dialogue.locator('li[data-role=owner]').count()).toBe(owners + 1);
        }
        // The owner refuses the vague promise and asks when exactly (owner text set as text, never as HTML).
        expect(await dialogue.locator('li[data-role=owner]').last().textContent()).toContain('尽快');
        await page.getByTestId('finish').click();
        await poll(() => page.getByTestId('card').isVisible()).toBe(true);
        expect(await page.getByTestId('card-steps').locator('tr').count()).toBe(5);
        expect(Number(await page.getByTestId('overall').textContent())).toBeGreaterThanOrEqual(0);
        expect(await page.getByTestId('card-steps').locator('tr[data-step=resolve].weak').count()).toBe(1);
        expect(await page.getByTestId('card-tips').locator('li').count()).toBeGreaterThanOrEqual(1);
        await poll(() => page.getByTestId('trainees').locator('tr').count()).toBe(2);
        expect(await page.getByTestId('trainees').locator('tr[data-trainee=bob] td').nth(1).textContent()).toBe('2');
        // Both charts drawn by Chart.js, the weakest step first.
        expect(await page.evaluate(() => typeof (globalThis as { Chart?: unknown }).Chart)).toBe('function');
        // Evaluated in the page as a string: the tests compile without DOM types.
        const drawn = await page.evaluate(`['progress-chart', 'steps-chart'].map((id) => document.getElementById(id).toDataURL().length)`) as number[];
        for (const size of drawn) expect(size).toBeGreaterThan(3000);
        expect((await page.getByTestId('steps-chart').getAttribute('data-order'))?.split(',')).toHaveLength(5);
        mkdirSync(join(PROJECT_ROOT, 'dist', 'screenshots'), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
        expect(problems.join("\n")).toBe("");
    }, 30_000);
});
