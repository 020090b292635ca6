import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../bot/paths';
import { poll, signInWithToken } from '../helpers/agentConsoleScenario';
import { browserSuitesRun, launchChromium } from '../helpers/browser';
import { StandInChannel } from '../helpers/standInChannel';
import { say, startTestServer, type TestServer } from '../helpers/testServer';

/** Where the test leaves its screenshots for a person to look at (git-ignored). */
const SCREENSHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots');
const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-0123456789abc';
/** A one-pixel PNG, as an owner's photo. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
/** An owner whose channel cannot be reached: nothing listens on port 1. */
const DEAD_CHANNEL = 'http://127.0.0.1:1';

/**
 * Records, in the page, every desktop notification shown and every sound played, through a function the test exposes:
 * the console must be seen to alert, not only to render a red row.
 */
const SPIES = `
    (() => {
        const Real = window.Notification;
        if (Real) {
            class SpiedNotification extends Real {
                constructor(title, options) {
                    super(title, options);
                    window.__deskSpy('notification', title + ' | ' + ((options && options.body) || ''));
                }
            }
            window.Notification = SpiedNotification;
        }
        const play = HTMLMediaElement.prototype.play;
        HTMLMediaElement.prototype.play = function () {
            const played = play.call(this);
            played.then(() => window.__deskSpy('played', this.src), () => window.__deskSpy('play refused', this.src));
            return played;
        };
    })();
`;

interface Desk {
    context: BrowserContext;
    page: Page;
    seen: { kind: string; detail: string }[];
    errors: string[];
}

const channel = new StandInChannel();
let server: TestServer;
let browser: Browser;
let alice: Desk;
let bob: Desk;

async function openDesk(name: string): Promise<Desk> {
    const context = await browser.newContext({ viewport: { width: 1500, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/London' });
    await context.grantPermissions(['notifications'], { origin: server.url });
    const seen: Desk['seen'] = [];
    await context.exposeFunction('__deskSpy', (kind: string, detail: string) => {
        seen.push({ kind, detail });
    });
    await context.addInitScript(SPIES);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
    return { context, page, seen, errors };
}

const row = (page: Page, conversationId: string) => page.locator(`[data-testid="queue-row"][data-conversation-id="${conversationId}"]`);
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

describe.skipIf(!browserSuitesRun())('agent desk in Chromium: two agents on one shift', () => {
    beforeAll(async () => {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await channel.start();
        server = await startTestServer({ AGENT_TOKENS: `alice:${ALICE},bob:${BOB}` });
        browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
        alice = await openDesk('alice');
        bob = await openDesk('bob');
    }, 30_000);
    afterAll(async () => {
        await browser?.close();
        await server?.close();
        await channel.stop();
    });

    it('both agents see an emergency pinned on top, in words, with a tone and a desktop notification', async () => {
        for (const [desk, token] of [[alice, ALICE], [bob, BOB]] as const) {
            await desk.page.goto(`${server.url}/agent`);
            await signInWithToken(desk.page, token);
            await poll(() => desk.page.locator('#feed-state').textContent()).toMatch(/实时/);
        }
        // An ordinary request first, from an owner whose channel is down; then a person trapped in a lift.
        await say(server.url, '帮我转人工', { conversationId: 'desk-p4', userId: 'owner-li', channelId: 'webchat', serviceUrl: DEAD_CHANNEL, channelData: { owner: { name: '李先生', building: '5', unit: '1', room: '302' } } });
        await say(server.url, '电梯里有人被困住了，快来人', { conversationId: 'desk-p1', userId: 'owner-wang', channelId: 'webchat', serviceUrl: channel.url, channelData: { owner: { name: '王女士', building: '3', unit: '2', room: '501' } } });

        for (const desk of [alice, bob]) {
            const rows = desk.page.getByTestId('queue-row');
            await poll(() => rows.count()).toBe(2);
            // Pinned first although it came last, highlighted, and readable without opening it.
            expect(await rows.first().getAttribute('data-conversation-id')).toBe('desk-p1');
            expect(await rows.first().getAttribute('class')).toContain('urgent');
            const urgent = (await rows.first().innerText()).replace(/\s+/g, ' ');
            expect(urgent).toMatch(/P1 \S+.*电梯里有人被困住了.*紧急情况.*网页.*等待接入/);
            expect(urgent).not.toMatch(/emergency|webchat/);
            // The tone played and the desktop notification named the case.
            await poll(() => desk.seen.find((s) => s.kind === 'notification')?.detail).toMatch(/^P1 .*紧急情况 \| .*电梯里有人被困住了/);
            await poll(() => desk.seen.some((s) => s.kind === 'played' && s.detail.endsWith('/agent/alert.wav'))).toBe(true);
        }
        // The ordinary request did not ring.
        expect(alice.seen.filter((s) => s.kind === 'notification')).toHaveLength(1);
        // Waiting time ticks on the row without a reload.
        const waiting = row(alice.page, 'desk-p4').locator('[data-since]');
        const before = await waiting.textContent();
        await poll(() => waiting.textContent()).not.toBe(before);
        await shot(alice.page, 'desk-1-triage');
    });

    it('keyboard: J opens the first case as a tab, ? shows the help, A accepts; the colleague sees who took it', async () => {
        const page = alice.page;
        await page.locator('body').press('j');
        await poll(() => page.getByTestId('conversation-title').textContent()).toMatch(/P1.*紧急情况/);
        expect(await page.getByTestId('tab').count()).toBe(1);
        await page.locator('body').press('?');
        await poll(() => page.getByTestId('help').isVisible()).toBe(true);
        await shot(page, 'desk-2-help');
        await page.keyboard.press('Escape');
        await poll(() => page.getByTestId('help').isHidden()).toBe(true);
        await page.locator('body').press('a');
        await poll(() => page.getByTestId('release').isVisible()).toBe(true);
        await poll(() => channel.to('desk-p1').some((d) => d.text?.includes('alice'))).toBe(true);
        await poll(async () => (await row(bob.page, 'desk-p1').count()) === 0 || /处理中/.test((await row(bob.page, 'desk-p1').textContent()) ?? '')).toBe(true);
    });

    it('suggestions fit the emergency; a / short code fills the reply box and Ctrl+Enter sends it', async () => {
        const page = alice.page;
        const suggestions = (await page.getByTestId('suggestion').allTextContents()).join('\n');
        expect(suggestions).toMatch(/值班/);
        expect(suggestions).not.toMatch(/抱歉|您是说/);
        const reply = page.getByTestId('reply');
        await reply.click();
        await reply.pressSequentially('/燃气');
        await poll(() => page.getByTestId('canned-reply').first().getAttribute('data-code')).toBe('rq');
        await reply.fill('');
        await reply.pressSequentially('/dt');
        await poll(() => page.getByTestId('canned-reply').first().getAttribute('data-code')).toBe('dt');
        await shot(page, 'desk-3-canned');
        await reply.press('Enter');
        const text = await reply.inputValue();
        expect(text).toMatch(/电梯.*警铃/);
        await reply.press('Control+Enter');
        await poll(() => channel.to('desk-p1').some((d) => d.text === text)).toBe(true);
        await poll(() => reply.inputValue()).toBe('');
    });

    it('a second case opens as another tab; a failed send says why, keeps the words and stays until dismissed', async () => {
        const page = alice.page;
        // Esc leaves the reply box, so the next keys are shortcuts.
        await page.keyboard.press('Escape');
        await page.keyboard.press('j');
        await poll(() => page.getByTestId('conversation-title').textContent()).toMatch(/业主要求人工/);
        expect(await page.getByTestId('tab').count()).toBe(2);
        await page.getByTestId('accept').click();
        // The owner could not be told (their channel is down): said so, and it stays.
        await poll(() => page.getByTestId('error').first().textContent()).toMatch(/无法送达/);
        await page.getByTestId('reply').fill('李先生您好，我是客服，请问您遇到了什么问题？');
        await page.getByTestId('send').click();
        await poll(() => page.getByTestId('error').first().textContent()).toMatch(/发送消息失败：业主的渠道暂时无法送达/);
        expect(await page.getByTestId('reply').inputValue()).toBe('李先生您好，我是客服，请问您遇到了什么问题？');
        // An illegal ticket move is refused with its reason, too.
        await page.keyboard.press('[');
        await poll(() => page.getByTestId('conversation-title').textContent()).toMatch(/P1/);
        await poll(() => page.getByTestId('ticket-id').textContent()).toMatch(/^TS-/);
        await page.getByTestId('ticket-status').selectOption('closed');
        await page.getByTestId('ticket-save').click();
        await poll(() => page.getByTestId('error').first().textContent()).toMatch(/更新工单失败：操作冲突/);
        // Errors stay through refreshes until the agent dismisses them.
        const errors = page.getByTestId('error');
        const count = await errors.count();
        await page.waitForTimeout(1500);
        expect(await errors.count()).toBe(count);
        await shot(page, 'desk-4-errors');
        await errors.first().getByTestId('dismiss').click();
        expect(await errors.count()).toBe(count - 1);
    });

    it('a photo the owner sends shows beside the transcript and is attached to the ticket in one click', async () => {
        const page = alice.page;
        const ticketId = (await page.getByTestId('ticket-id').textContent()) ?? '';
        const photo = { contentType: 'image/png', contentUrl: `data:image/png;base64,${PIXEL}`, name: '轿厢.png' };
        const sent = await fetch(`${server.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'message', id: 'photo-1', channelId: 'webchat', serviceUrl: channel.url, conversation: { id: 'desk-p1' }, from: { id: 'owner-wang', role: 'user' }, recipient: { id: 'linli', role: 'bot' }, text: '这是轿厢里的照片', attachments: [photo] }),
        });
        expect(sent.status).toBeLessThan(300);
        await poll(() => page.getByTestId('image').count()).toBe(1);
        expect(await page.locator('#transcript img.thumb').count()).toBe(1);
        await page.getByTestId('image-attach').click();
        await poll(() => page.getByTestId('image-attached').count()).toBe(1);
        const ticket = await server.linli.tickets.get(ticketId);
        expect(ticket?.history.some((h) => h.by === 'alice' && h.note?.includes(photo.contentUrl))).toBe(true);
        // The owner's history lists the ticket of this conversation.
        expect(await page.getByTestId('history-entry').first().textContent()).toContain(ticketId);
        await shot(page, 'desk-5-photo');
        expect([...alice.errors, ...bob.errors]).toEqual([]);
    });
});
