import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { StandInChannel } from '../helpers/standInChannel';
import { say, startTestServer, type TestServer } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
const channel = new StandInChannel();
let server: TestServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

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

describe('agent console in Chromium', () => {
    it('refuses a wrong token', async () => {
        await page.goto(`${server.url}/agent`);
        await page.getByTestId('token').fill('wrong-token-0123456789');
        await page.getByRole('button', { name: '登录' }).click();
        await expect.poll(() => page.locator('#sign-in-error').textContent()).toMatch(/令牌无效/);
        expect(await page.locator('#desk').isHidden()).toBe(true);
    });

    it('an escalated owner appears live; the agent accepts, answers, moves the ticket and releases; the owner receives it', async () => {
        await page.getByTestId('token').fill(TOKEN);
        await page.getByRole('button', { name: '登录' }).click();
        await expect.poll(() => page.getByTestId('who').textContent()).toBe('坐席：alice');

        // An owner in an emergency: the queue row arrives over the live feed, without a reload.
        const owner = { conversationId: 'browser-1', userId: 'owner-b1', channelId: 'webchat', serviceUrl: channel.url };
        await say(server.url, '电梯里有人被困住了，快来人', owner);
        const row = page.locator('[data-testid="queue-row"][data-conversation-id="browser-1"]');
        await row.waitFor({ timeout: 5000 });
        expect(await row.textContent()).toMatch(/P1.*紧急情况.*等待接入/);

        // Open it: transcript, the emergency ticket and suggested replies from the scripts.
        await row.click();
        await expect.poll(() => page.getByTestId('transcript').textContent()).toContain('电梯里有人被困住了');
        await expect.poll(() => page.locator('#ticket-id').textContent()).toMatch(/^TS-/);
        expect(await page.getByTestId('suggestion').count()).toBeGreaterThan(0);

        await page.getByTestId('accept').click();
        await expect.poll(() => page.getByTestId('release').isVisible()).toBe(true);
        await expect.poll(() => channel.to('browser-1').some((d) => d.text?.includes('alice'))).toBe(true);

        // A suggested reply fills the box; the agent edits and sends; the owner's channel receives it.
        await page.getByTestId('suggestion').first().click();
        expect(await page.getByTestId('reply').inputValue()).not.toBe('');
        await page.getByTestId('reply').fill('您别慌，值班电工已经在路上，五分钟到。');
        await page.getByTestId('send').click();
        await expect.poll(() => channel.to('browser-1').some((d) => d.text === '您别慌，值班电工已经在路上，五分钟到。')).toBe(true);
        await expect.poll(() => page.getByTestId('transcript').textContent()).toContain('坐席 alice：您别慌');

        // The owner answers; it shows up in the open conversation through the feed.
        await say(server.url, '好的谢谢，我们在里面等着', owner);
        await expect.poll(() => page.getByTestId('transcript').textContent()).toContain('我们在里面等着');

        // Move the ticket along, then hand the owner back to the bot.
        await page.getByTestId('ticket-status').selectOption('in_progress');
        await page.getByTestId('ticket-save').click();
        const ticketId = (await page.locator('#ticket-id').textContent()) ?? '';
        await expect.poll(async () => (await server.linli.tickets.get(ticketId))?.status).toBe('in_progress');
        // The agent's action is in the conversation's transcript under her name.
        await expect.poll(async () => (await server.linli.handoffs.transcript('browser-1')).some((e) => e.event === 'ticket.updated' && e.agent === 'alice')).toBe(true);
        await page.getByTestId('release').click();
        await expect.poll(async () => (await server.linli.handoffs.get('browser-1'))?.status).toBe('closed');
        await expect.poll(() => channel.to('browser-1').at(-1)?.text ?? '').toMatch(/小邻/);
        expect(pageErrors).toEqual([]);
    }, 30_000);
});
