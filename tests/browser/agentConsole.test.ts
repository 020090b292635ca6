import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoundTrip, poll } from '../helpers/agentConsoleScenario';
import { browserSuitesRun, launchChromium } from '../helpers/browser';
import { StandInChannel } from '../helpers/standInChannel';
import { startTestServer, type TestServer } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
const channel = new StandInChannel();
let server: TestServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

describe.skipIf(!browserSuitesRun())('agent console in Chromium, embedded store', () => {
    beforeAll(async () => {
        await channel.start();
        server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}` });
        browser = await launchChromium();
        page = await browser.newPage();
        page.on('pageerror', (error) => pageErrors.push(error.message));
    }, 30_000);
    afterAll(async () => {
        await browser?.close();
        await server?.close();
        await channel.stop();
    });

    it('refuses a wrong token and shows nothing of the desk', async () => {
        await page.goto(`${server.url}/agent`);
        expect(await page.locator('#desk').isHidden()).toBe(true);
        await page.getByTestId('token').fill('wrong-token-0123456789');
        await page.getByRole('button', { name: '登录' }).click();
        await poll(() => page.locator('#sign-in-error').textContent()).toMatch(/令牌无效/);
        expect(await page.locator('#desk').isHidden()).toBe(true);
    });

    it('an escalated owner appears live; the agent accepts, answers, moves the ticket and releases; the owner receives it', async () => {
        await consoleRoundTrip(page, server, server.url, channel, TOKEN, 'browser-1');
        expect(pageErrors).toEqual([]);
    }, 30_000);
});
