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
/** A one-pixel PNG, as an owner's photo. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

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
    /** The account's sign-in name. */
    name: string;
}

const channel = new StandInChannel();
/** An owner's channel that refuses every message: what the owner's side of a failed send looks like. */
const refusing = new StandInChannel({ refuseTypes: ['message'] });
let server: TestServer;
let browser: Browser;
/** alice signs in with a configured token (every role: a supervisor too); 客服小王 with a name and password (agent only). */
let alice: Desk;
let xiaowang: Desk;
/** Who was offered the emergency (and works it), and the other agent. */
let worker: Desk;
let colleague: Desk;
const PASSWORD = 'a long secret 1234';

async function openDesk(name: string): Promise<Desk> {
    const context = await browser.newContext({ viewport: { width: 1500, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/London' });
    await context.grantPermissions(['notifications'], { origin: server.url });
    const seen: Desk['seen'] = [];
    await context.exposeFunction('__deskSpy', (kind: string, detail: string) => {
        seen.push({ kind, detail });
    });
    await context.addInitScript(SPIES);
    const page = await context.newPage();
    // A missing element fails the check within the poll's time instead of waiting Playwright's 30 s.
    page.setDefaultTimeout(4000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
    return { context, page, seen, errors, name };
}

const row = (page: Page, conversationId: string) => page.locator(`[data-testid="queue-row"][data-conversation-id="${conversationId}"]`);
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const title = (page: Page) => page.getByTestId('conversation-title').textContent();

describe.skipIf(!browserSuitesRun())('agent desk in Chromium: two agents on one shift', () => {
    beforeAll(async () => {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await channel.start();
        await refusing.start();
        // Urgent cases escalate after 3 s here (60 s in production), checked every second.
        server = await startTestServer({ AGENT_TOKENS: `alice:${ALICE}`, HANDOFF_URGENT_ESCALATE_SECONDS: '3', HANDOFF_POLL_SECONDS: '1' });
        const created = await fetch(`${server.url}/api/accounts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'xiaowang', displayName: '客服小王', password: PASSWORD, roles: ['agent'] }),
        });
        expect(created.status).toBe(201);
        browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
        alice = await openDesk('alice');
        xiaowang = await openDesk('xiaowang');
    }, 30_000);
    afterAll(async () => {
        await browser?.close();
        await server?.close();
        await channel.stop();
        await refusing.stop();
    });

    it('two agents sign in (token; name and password); an emergency is pinned, in words, with a tone, a notification and, unaccepted, an escalation', async () => {
        await alice.page.goto(`${server.url}/agent`);
        await signInWithToken(alice.page, ALICE);
        await xiaowang.page.goto(`${server.url}/agent`);
        await xiaowang.page.getByTestId('account-name').fill('xiaowang');
        await xiaowang.page.getByTestId('account-password').fill('not the password');
        await xiaowang.page.getByRole('button', { name: '登录', exact: true }).click();
        await poll(() => xiaowang.page.getByTestId('sign-in-error').textContent()).toBe('账号或密码不对');
        await xiaowang.page.getByTestId('account-password').fill(PASSWORD);
        await xiaowang.page.getByRole('button', { name: '登录', exact: true }).click();
        await poll(() => xiaowang.page.getByTestId('who').textContent()).toBe('坐席：客服小王');
        expect(await alice.page.getByTestId('who').textContent()).toMatch(/^主管.*：alice$/);
        for (const desk of [alice, xiaowang]) await poll(() => desk.page.locator('#feed-state').textContent()).toMatch(/实时/);

        // Mrs Wang asked how to pay last time (the bot answered; no ticket): her history shows that visit.
        await say(server.url, '物业费在哪里交', { conversationId: 'desk-p1-earlier', userId: 'owner-wang', channelId: 'webchat', serviceUrl: channel.url });
        // An ordinary request first, from an owner whose channel is down; then a person trapped in a lift.
        await say(server.url, '帮我转人工', { conversationId: 'desk-p4', userId: 'owner-li', channelId: 'webchat', serviceUrl: refusing.url, channelData: { owner: { name: '李先生', building: '5', unit: '1', room: '302' } } });
        await say(server.url, '电梯里有人被困住了，快来人', { conversationId: 'desk-p1', userId: 'owner-wang', channelId: 'webchat', serviceUrl: channel.url, channelData: { owner: { name: '王女士', building: '3', unit: '2', room: '501' } } });

        for (const desk of [alice, xiaowang]) {
            const rows = desk.page.getByTestId('queue-row');
            await poll(() => rows.count()).toBe(2);
            // Pinned first although it came last, highlighted, and readable without opening it.
            expect(await rows.first().getAttribute('data-conversation-id')).toBe('desk-p1');
            expect(await rows.first().getAttribute('class')).toContain('urgent');
            const urgent = (await rows.first().innerText()).replace(/\s+/g, ' ');
            expect(urgent).toMatch(/P1 \S+ 王女士 3栋2单元501 电梯里有人被困住了.*紧急情况.*剩 .*网页.*(等待接入|派给)/);
            expect(urgent).not.toMatch(/emergency|webchat/);
            // The tone played and the desktop notification named the case.
            await poll(() => desk.seen.find((s) => s.kind === 'notification')?.detail).toMatch(/^P1 .*紧急情况 \| 王女士 3栋2单元501：电梯里有人被困住了/);
            await poll(() => desk.seen.some((s) => s.kind === 'played' && s.detail.endsWith('/agent/alert.wav'))).toBe(true);
        }
        // The ordinary request did not notify; waiting time ticks on its row without a reload.
        expect(alice.seen.filter((s) => s.kind === 'notification' && s.detail.startsWith('P3'))).toHaveLength(0);
        // Times are on the estate's clock (UTC+8), not the browser's (London here).
        const estateClock = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16);
        const clock = (await alice.page.getByTestId('clock').textContent()) ?? '';
        expect([estateClock(Date.now() - 60_000), estateClock(Date.now())].map((t) => `小区时间 ${t}`)).toContain(clock);
        const waiting = row(alice.page, 'desk-p4').locator('[data-since]');
        const before = await waiting.textContent();
        await poll(() => waiting.textContent()).not.toBe(before);
        await shot(alice.page, 'desk-1-triage');

        // Nobody accepted within the urgent limit (the server's periodic round, run by hand here): every console
        // raises the escalation, the supervisor's marked so.
        const rounds = server.linli.handoffTimeouts();
        await expect
            .poll(
                async () => {
                    await rounds.tick();
                    return (await server.linli.handoffs.get('desk-p1'))?.escalatedAt ?? null;
                },
                { timeout: 10_000, interval: 500 },
            )
            .not.toBeNull();
        await expect.poll(() => alice.page.getByTestId('escalation-alert').first().textContent(), { timeout: 10_000 }).toMatch(/^【主管】紧急会话超时无人接入：P1 .*王女士/);
        await poll(() => xiaowang.page.getByTestId('escalation-alert').first().textContent()).toMatch(/^紧急会话超时无人接入/);
        expect(await row(alice.page, 'desk-p1').textContent()).toContain('已上报主管');
        await poll(() => alice.seen.some((s) => s.kind === 'notification' && s.detail.startsWith('紧急会话超时无人接入'))).toBe(true);
        await shot(alice.page, 'desk-2-escalated');
    }, 30_000);

    it('the agent offered the emergency takes it with the keyboard; the other agent\'s accept is refused with the reason', async () => {
        const offered = (await server.linli.handoffs.get('desk-p1'))?.offeredTo;
        expect(['alice', 'xiaowang']).toContain(offered);
        [worker, colleague] = offered === 'alice' ? [alice, xiaowang] : [xiaowang, alice];
        await row(colleague.page, 'desk-p1').click();
        await poll(() => colleague.page.getByTestId('accept').textContent()).toMatch(/已派给 (alice|客服小王)/);
        await colleague.page.getByTestId('accept').click();
        await poll(() => colleague.page.getByTestId('error').first().textContent()).toMatch(/^接入失败：操作冲突/);

        const page = worker.page;
        await page.keyboard.press('j');
        await poll(() => title(page)).toMatch(/P1.*紧急情况.*王女士/);
        await poll(() => page.getByTestId('tab').count()).toBe(1);
        await page.keyboard.press('?');
        await poll(() => page.getByTestId('help').isVisible()).toBe(true);
        await shot(page, 'desk-3-help');
        await page.keyboard.press('Escape');
        await poll(() => page.getByTestId('help').isHidden()).toBe(true);
        await page.keyboard.press('a');
        await poll(() => page.getByTestId('release').isVisible()).toBe(true);
        await poll(() => channel.to('desk-p1').some((d) => d.text?.includes(worker.name === 'alice' ? 'alice' : '客服小王'))).toBe(true);
        await poll(() => row(colleague.page, 'desk-p1').textContent()).toMatch(/人工处理中/);
        // The escalation banners say the case was taken, by the name owners hear.
        const taker = worker.name === 'alice' ? 'alice' : '客服小王';
        for (const desk of [alice, xiaowang]) await poll(() => desk.page.getByTestId('escalation-alert').first().textContent()).toContain(`已由 ${taker} 接入`);
    });

    it('suggestions fit the emergency; a / short code fills the reply box and Ctrl+Enter sends it', async () => {
        const page = worker.page;
        const suggestions = (await page.getByTestId('suggestion').allTextContents()).join('\n');
        expect(suggestions).toMatch(/值班人员正赶往3栋2单元501/);
        expect(suggestions).not.toMatch(/抱歉|您是说/);
        const reply = page.getByTestId('reply');
        await reply.click();
        await reply.pressSequentially('/燃气');
        await poll(() => page.getByTestId('canned-reply').first().getAttribute('data-code')).toBe('rq');
        await reply.fill('');
        await reply.pressSequentially('/dt');
        await poll(() => page.getByTestId('canned-reply').first().getAttribute('data-code')).toBe('dt');
        await shot(page, 'desk-4-canned');
        await reply.press('Enter');
        const text = await reply.inputValue();
        expect(text).toMatch(/电梯.*警铃/);
        await reply.press('Control+Enter');
        await poll(() => channel.to('desk-p1').some((d) => d.text?.endsWith(text))).toBe(true);
        await poll(() => reply.inputValue()).toBe('');
    });

    it('a failed send says why, keeps the words and stays until dismissed; so does an illegal ticket move', async () => {
        const holder = (await server.linli.handoffs.get('desk-p4'))?.offeredTo === worker.name ? worker : colleague;
        const page = holder.page;
        await page.keyboard.press('Escape');
        await row(page, 'desk-p4').click();
        await poll(() => title(page)).toMatch(/业主要求人工.*李先生/);
        await page.getByTestId('accept').click();
        // The owner could not be told (their channel is down): said so, and it stays.
        await poll(() => page.getByTestId('error').first().textContent()).toMatch(/无法送达/);
        await page.getByTestId('reply').fill('李先生您好，请问您遇到了什么问题？');
        await page.getByTestId('send').click();
        await poll(() => page.getByTestId('error').first().textContent()).toMatch(/^发送消息失败：业主的渠道暂时无法送达/);
        expect(await page.getByTestId('reply').inputValue()).toBe('李先生您好，请问您遇到了什么问题？');

        // Both cases are open as tabs on this desk (the emergency was opened earlier); [ goes back to it, and an
        // illegal move of its ticket is refused with the reason.
        const work = page;
        await work.keyboard.press('Escape');
        await poll(() => work.getByTestId('tab').count()).toBe(2);
        await work.keyboard.press('[');
        await poll(() => title(work)).toMatch(/P1/);
        await poll(() => work.getByTestId('ticket-id').textContent()).toMatch(/^TS-/);
        await work.getByTestId('ticket-status').selectOption('closed');
        await work.getByTestId('ticket-save').click();
        await poll(() => work.getByTestId('error').first().textContent()).toMatch(/^更新工单失败：操作冲突/);
        // Errors stay through refreshes until the agent dismisses them.
        const errors = page.getByTestId('error');
        const count = await errors.count();
        await page.waitForTimeout(1500);
        expect(await errors.count()).toBe(count);
        await shot(page, 'desk-5-errors');
        await errors.first().getByTestId('dismiss').click();
        expect(await errors.count()).toBe(count - 1);
    }, 30_000);

    it('the holder of the ordinary case opens a ticket for it from the side panel and edits it', async () => {
        const holder = (await server.linli.handoffs.get('desk-p4'))?.agent === worker.name ? worker : colleague;
        const page = holder.page;
        await row(page, 'desk-p4').click();
        await poll(() => page.getByTestId('ticket-create').isVisible()).toBe(true);
        expect(await page.getByTestId('ticket-location').inputValue()).toBe('5栋1单元302');
        await page.getByTestId('ticket-kind').selectOption('repair');
        await page.getByTestId('ticket-category').selectOption('facility');
        await page.getByTestId('ticket-description').fill('厨房水管接头漏水，地面有积水');
        await page.getByTestId('ticket-request').fill('今天下午上门维修');
        await page.getByTestId('ticket-submit').click();
        await poll(() => page.getByTestId('ticket-id').textContent()).toMatch(/^TS-/);
        const ticketId = (await page.getByTestId('ticket-id').textContent()) ?? '';
        const ticket = await server.linli.tickets.get(ticketId);
        expect(ticket).toMatchObject({ kind: 'repair', category: 'facility', conversationId: 'desk-p4', description: '厨房水管接头漏水，地面有积水', location: '5栋1单元302', receivedBy: holder.name });
        expect(await page.getByTestId('ticket-created').first().textContent()).toContain(ticketId);
        // …and edits it: status, department and a note in one save.
        await page.getByTestId('ticket-status').selectOption('in_progress');
        await page.getByTestId('ticket-department').fill('工程部');
        await page.getByTestId('ticket-note').fill('已约师傅下午两点上门');
        await page.getByTestId('ticket-save').click();
        await poll(async () => (await server.linli.tickets.get(ticketId))?.status).toBe('in_progress');
        const edited = await server.linli.tickets.get(ticketId);
        expect(edited?.department).toBe('工程部');
        expect(edited?.history.some((h) => h.note === '已约师傅下午两点上门' && h.by === holder.name)).toBe(true);
        await poll(() => page.getByTestId('ticket').textContent()).toContain('已约师傅下午两点上门');
    });

    it('a photo the owner sends shows beside the transcript and is attached to the ticket in one click', async () => {
        const page = worker.page;
        await row(page, 'desk-p1').click();
        await poll(() => page.getByTestId('ticket-id').textContent()).toMatch(/^TS-/);
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
        expect(ticket?.history.some((h) => h.by === worker.name && h.note?.includes(photo.contentUrl))).toBe(true);
        expect(await page.getByTestId('history-entry').first().textContent()).toContain(ticketId);
        // Her earlier visit, answered by the bot alone, is listed too (the current one is not repeated).
        await poll(() => page.getByTestId('history-conversation').count()).toBe(1);
        expect(await page.getByTestId('history-conversation').first().textContent()).toContain('机器人答复');
    });

    it('an internal note and a transfer with a note reach the colleague, never the owner', async () => {
        const page = worker.page;
        const toOwner = channel.to('desk-p1').length;
        await page.keyboard.press('n');
        await page.keyboard.type('业主在3号楼电梯，维保已出发');
        await page.getByTestId('note-add').click();
        await poll(() => page.getByTestId('note-entry').last().textContent()).toContain('维保已出发');
        await page.getByTestId('transfer-to').selectOption(colleague.name);
        await page.getByTestId('transfer-note').fill('我要去现场，请接手安抚业主');
        await page.getByTestId('transfer').click();
        await poll(async () => (await server.linli.handoffs.get('desk-p1'))?.agent).toBe(colleague.name);
        await poll(() => colleague.page.getByTestId('transfer-alert').first().textContent()).toContain('我要去现场，请接手安抚业主');
        await poll(() => row(colleague.page, 'desk-p1').getAttribute('class')).toContain('mine');
        await row(colleague.page, 'desk-p1').click();
        await poll(() => colleague.page.getByTestId('note-entry').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('维保已出发'), expect.stringContaining('请接手安抚业主')]));
        await shot(colleague.page, 'desk-6-transferred');
        // The owner heard who takes over, and nothing of the notes.
        const heard = channel.to('desk-p1').slice(toOwner).map((d) => d.text ?? '');
        expect(heard.join('\n')).not.toMatch(/维保已出发|请接手安抚/);

        // E: the colleague hands the owner back to the bot and the desk moves on (its tab closes).
        const tabs = await colleague.page.getByTestId('tab').count();
        await colleague.page.keyboard.press('e');
        await poll(async () => (await server.linli.handoffs.get('desk-p1'))?.status).toBe('closed');
        await poll(() => colleague.page.getByTestId('tab').count()).toBe(tabs - 1);
        // Stepping away stops offers; the server sees it.
        await alice.page.getByTestId('presence').selectOption('away');
        const account = await server.linli.staff.account('alice');
        if (!account) throw new Error('alice has no account');
        await poll(async () => (await server.linli.staff.presenceOf(account)).status).toBe('away');
        await alice.page.getByTestId('presence').selectOption('online');
    });

    it('a session that ended says so and asks to sign in again', async () => {
        const session = await xiaowang.page.evaluate<string | null>('sessionStorage.getItem("linli.agentToken")');
        const ended = await fetch(`${server.url}/api/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${session ?? ''}` } });
        expect(ended.status).toBe(204);
        await xiaowang.page.getByTestId('presence').selectOption('away');
        await poll(() => xiaowang.page.getByTestId('error').first().textContent()).toMatch(/登录已过期/);
        expect(await xiaowang.page.getByTestId('sign-in').isVisible()).toBe(true);
        expect([...alice.errors, ...xiaowang.errors]).toEqual([]);
    });
});
