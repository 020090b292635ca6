import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoundTrip, poll, signInWithToken } from '../helpers/agentConsoleScenario';
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
        await signInWithToken(page, 'wrong-token-0123456789');
        await poll(() => page.locator('#sign-in-error').textContent()).toMatch(/令牌无效/);
        expect(await page.locator('#desk').isHidden()).toBe(true);
    });

    it('an escalated owner appears live; the agent accepts, answers, moves the ticket and releases; the owner receives it', async () => {
        await consoleRoundTrip(page, server, server.url, channel, TOKEN, 'browser-1');
        expect(pageErrors).toEqual([]);
    }, 30_000);

    it('shows an emergency first behind a long queue, how many wait, and loads the next page on request', async () => {
        for (let i = 0; i < 60; i++) {
            await server.linli.handoffs.initiate({
                reference: { channelId: 'webchat', conversation: { id: `long-queue-${i}`, isGroup: false, conversationType: 'personal', name: '' }, user: { id: `owner-long-${i}`, name: '' }, serviceUrl: channel.url },
                reason: 'requested',
                rule: null,
                priority: i === 59 ? 1 : 4,
                ticketId: null,
                persona: 'default',
                emotion: 'calm',
                lastWords: '转人工',
            });
        }
        const waiting = await server.linli.handoffs.count('queued');
        await page.reload();
        const rows = page.getByTestId('queue-row');
        await poll(() => rows.count()).toBe(50);
        expect(await rows.first().getAttribute('data-conversation-id')).toBe('long-queue-59');
        expect(await rows.first().textContent()).toMatch(/^P1/);
        await poll(() => page.getByTestId('queue-summary').textContent()).toContain(`共 ${waiting} 个`);
        await page.getByTestId('queue-more').click();
        await poll(() => rows.count()).toBe(waiting);
        expect(await page.getByTestId('queue-more').isHidden()).toBe(true);
        expect(pageErrors).toEqual([]);
    }, 30_000);
});
