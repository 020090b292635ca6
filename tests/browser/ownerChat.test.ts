import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../bot/paths';
import { AgentApi } from '../helpers/agentApi';
import { poll } from '../helpers/agentConsoleScenario';
import { browserSuitesRun, launchChromium } from '../helpers/browser';
import { SECRET } from '../helpers/directLine';
import { startTestServer, type TestServer } from '../helpers/testServer';

/** Where the test leaves its screenshots for a person to look at (git-ignored). */
const SCREENSHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots');
const STAFF = 'alice-token-0123456789';
const IMAGE_SIDE = 48;
/** A small real PNG (one colour), made here so the browser has an image to decode and draw. */
function png(side: number): Buffer {
    const chunk = (type: string, data: Buffer): Buffer => {
        const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32(body));
        return Buffer.concat([length, body, crc]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(side, 0);
    header.writeUInt32BE(side, 4);
    header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
    const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: side }, () => [0x2f, 0x6f, 0x4f]).flat())]);
    const pixels = deflateSync(Buffer.concat(Array.from({ length: side }, () => row)));
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

const LINLI = '.webchat__bubble:not(.webchat__bubble--from-user)';
const OWNER = '.webchat__bubble--from-user';

let server: TestServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** The text of every message the page posted to Direct Line, in order. */
const posted: string[] = [];

async function shot(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

function sendBox() {
    return page.locator('.webchat__send-box-text-box__input');
}

/** Texts of Linli's (or the agent's) bubbles, in order. */
async function linliTexts(): Promise<string[]> {
    return page.locator(LINLI).allInnerTexts();
}

/** Types a message as an owner would and waits until Linli has answered it (one more bubble from Linli). */
async function ownerSays(text: string): Promise<void> {
    const before = await page.locator(LINLI).count();
    await sendBox().fill(text);
    await sendBox().press('Enter');
    await poll(() => page.locator(LINLI).count()).toBeGreaterThan(before);
}

async function conversationId(): Promise<string> {
    return String(await page.evaluate('localStorage.getItem("linli.chat.conversationId")'));
}

/** How far the page, or the transcript, is wider than the screen (none when it fits: nothing to scroll sideways). */
async function horizontalOverflow(): Promise<number[]> {
    return page.evaluate<number[]>(`[document.documentElement, document.body, ...document.querySelectorAll('.webchat__basic-transcript__scrollable')]
        .map((e) => e.scrollWidth - e.clientWidth)
        .filter((d) => d > 0)`);
}

/** The computed font size of the last element matching `selector`. */
async function fontSize(selector: string): Promise<number> {
    return page.evaluate<number>(`parseFloat(getComputedStyle([...document.querySelectorAll(${JSON.stringify(selector)})].at(-1)).fontSize)`);
}

interface EstateSite {
    server: Server;
    origin: string;
    embed(url: string): void;
}

/** A stand-in for the estate's own site: one page with /chat in an iframe. */
async function estateSite(): Promise<EstateSite> {
    let frame = '';
    const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html lang="zh-CN"><body><h1>阳光花园业主之家</h1><iframe src="${frame}" title="邻里" style="width:100%;height:560px;border:0"></iframe></body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, embed: (url) => (frame = url) };
}

describe.skipIf(!browserSuitesRun())('the owner page /chat in Chromium, on a phone-size screen', () => {
    beforeAll(async () => {
        mkdirSync(SCREENSHOTS, { recursive: true });
        server = await startTestServer({ DIRECT_LINE_SECRET: SECRET, AGENT_TOKENS: `alice:${STAFF}` });
        browser = await launchChromium();
        page = await browser.newPage({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, hasTouch: true });
        page.on('pageerror', (error) => pageErrors.push(error.message));
        page.on('console', (message) => {
            if (message.type() === 'error') pageErrors.push(message.text());
        });
        page.on('request', (request) => {
            if (request.method() === 'POST' && /\/v3\/directline\/conversations\/[^/]+\/activities$/.test(request.url())) {
                const body = request.postDataJSON() as { type?: string; text?: string } | null;
                if (body?.type === 'message') posted.push(body.text ?? '');
            }
        });
    }, 30_000);
    afterAll(async () => {
        await browser?.close();
        await server?.close();
    });

    it('opens on Linli\'s welcome; a fee question gets its answer with each statute named at the start of its own paragraph', async () => {
        await page.goto(`${server.url}/chat`);
        await poll(() => page.locator(LINLI).count()).toBe(1);
        await ownerSays('物业费是根据什么收的');
        const answer = page.locator(LINLI).last();
        await poll(() => answer.innerText()).toContain('依据');
        const paragraphs = await answer.locator('p').allInnerTexts();
        // The answer, the sources line, then each further statute quoted in a paragraph that starts with its name.
        expect(paragraphs.length).toBeGreaterThan(2);
        expect(paragraphs.some((p) => /^依据：《[^》]+》第[^条]+条：“/.test(p))).toBe(true);
        expect(paragraphs.some((p) => /^《[^》]+》第[^条]+条：“/.test(p))).toBe(true);
        // Timestamps under the messages (Web Chat's own, in Chinese).
        await poll(() => page.locator('.webchat__stacked-layout__status').last().innerText()).toMatch(/\d{1,2}:\d{2}/);
        await shot('1-fee-answer');
        expect(await horizontalOverflow()).toEqual([]);
    }, 20_000);

    it('a complaint ends with its ticket number, and the ticket is on the web channel', async () => {
        await ownerSays('电梯三天两头坏，我要投诉');
        await ownerSays('对');
        await ownerSays('5号楼2单元的电梯');
        await ownerSays('13812345678');
        const ticketId = /TS-\d{8}-\d{4}/.exec((await linliTexts()).slice(-2).join(' '))?.[0];
        expect(ticketId).toBeTruthy();
        const ticket = await server.linli.tickets.get(ticketId ?? '');
        expect(ticket).toMatchObject({ channelId: 'webchat', conversationId: await conversationId() });
        await shot('2-complaint-ticket');
    }, 20_000);

    it('asks for a person; an agent accepts and replies through the agent API, and the reply shows; an image is uploaded', async () => {
        await ownerSays('转人工');
        const id = await conversationId();
        const agent = new AgentApi(server.url, STAFF);
        expect((await agent.call('POST', `/api/handoffs/${encodeURIComponent(id)}/accept`)).status).toBe(200);
        const words = '您好，我是物业的小王，电梯的事我来跟进。';
        expect((await agent.call('POST', `/api/handoffs/${encodeURIComponent(id)}/messages`, { text: words })).status).toBe(200);
        await poll(() => linliTexts()).toContain(`alice：${words}`);
        // An agent's words come from Linli's side too: Markdown yes (no quotes here: it curls them), HTML never.
        const pasted = '单号见附件 <img src=x onerror=window.__ran=1>';
        await page.evaluate('window.__ran = 0');
        expect((await agent.call('POST', `/api/handoffs/${encodeURIComponent(id)}/messages`, { text: pasted })).status).toBe(200);
        await poll(() => linliTexts()).toContain(`alice：${pasted}`);
        expect(await page.locator('#webchat img[src="x"]').count()).toBe(0);
        expect(await page.evaluate('window.__ran')).toBe(0);

        // Web Chat's upload button: choose a file, then send.
        await page.locator('input[type="file"]').setInputFiles({ name: 'lift-panel.png', mimeType: 'image/png', buffer: png(IMAGE_SIDE) });
        const image = page.locator(`${OWNER} img`).last();
        // Web Chat takes the chosen file into its send box only once it has read it and drawn its thumbnail (in a
        // worker); a click on send before that sends nothing and leaves the file waiting, as an owner's early tap
        // would. So, as the owner would, tap send again until the photo shows (an empty send box sends nothing).
        for (let tap = 0; tap < 5 && !(await image.isVisible()); tap++) {
            await page.locator('button.webchat__send-button').click();
            await image.waitFor({ timeout: 3000 }).catch(() => undefined);
        }
        await image.waitFor({ timeout: 5000 });
        // Web Chat draws the chosen file at once (a blob: URL), then Linli's echo with the stored image's address.
        await poll(() => image.getAttribute('src')).toMatch(new RegExp(`^${server.url}/v3/directline/conversations/[^/]+/uploads/`));
        await poll(() => page.evaluate<number>(`(() => { const i = [...document.querySelectorAll('${OWNER} img')].at(-1); return i && i.complete ? i.naturalWidth : 0; })()`)).toBe(IMAGE_SIDE);
        // Sent once, whatever the taps.
        expect(await page.locator(`${OWNER} img`).count()).toBe(1);
        // The agent sees it in the transcript.
        await poll(async () => JSON.stringify((await agent.call('GET', `/api/handoffs/${encodeURIComponent(id)}/transcript`)).json)).toMatch(/uploads\//);
        await shot('3-agent-reply-and-upload');
        expect((await agent.call('POST', `/api/handoffs/${encodeURIComponent(id)}/release`)).status).toBe(200);
        await poll(() => page.locator(LINLI).last().innerText()).toMatch(/小邻/);
    }, 35_000);

    it('a reload shows the whole history again, nothing twice and no second welcome', async () => {
        const linliBefore = await linliTexts();
        const ownerBefore = await page.locator(OWNER).count();
        await page.reload();
        await poll(() => page.locator(LINLI).count()).toBe(linliBefore.length);
        await poll(() => page.locator(OWNER).count()).toBe(ownerBefore);
        // A moment longer: anything arriving twice or a new welcome would show up now.
        await page.waitForTimeout(500);
        expect(await linliTexts()).toEqual(linliBefore);
        expect((await linliTexts()).filter((t) => t === linliBefore[0])).toHaveLength(1);
        await shot('4-after-reload');
    }, 20_000);

    it('offers large text to an elderly owner; the toggle enlarges the text, still with no sideways scroll', async () => {
        const offer = page.getByTestId('large-text-offer');
        expect(await offer.isHidden()).toBe(true);
        await ownerSays('我年纪大了，眼睛不好，物业费在哪交');
        await poll(() => offer.isVisible()).toBe(true);
        const before = await fontSize(`${LINLI} .webchat__text-content`);
        await page.getByTestId('large-text').click();
        expect(await page.getByTestId('large-text').getAttribute('aria-pressed')).toBe('true');
        await poll(() => fontSize(`${LINLI} .webchat__text-content`)).toBeGreaterThanOrEqual(before * 1.25);
        expect(await fontSize('.webchat__send-box-text-box__input')).toBeGreaterThanOrEqual(before * 1.25);
        expect(await offer.isHidden()).toBe(true);
        expect(await horizontalOverflow()).toEqual([]);
        await shot('5-large-text');
        await page.getByTestId('large-text').click();
        await poll(() => fontSize(`${LINLI} .webchat__text-content`)).toBe(before);
    }, 20_000);

    it('shows an owner\'s HTML as text and runs nothing', async () => {
        await page.evaluate('window.__ran = 0');
        const hostile = '<img src=x onerror="window.__ran=1"> <b>粗体</b>';
        await ownerSays(hostile);
        await poll(() => page.locator(OWNER).last().innerText()).toBe(hostile);
        expect(await page.locator('#webchat img[src="x"]').count()).toBe(0);
        expect(await page.locator(`${OWNER} b`).count()).toBe(0);
        expect(await page.evaluate('window.__ran')).toBe(0);
        await shot('6-owner-html-as-text');
    }, 20_000);

    it('Chinese input-method composition: nothing is sent mid-composition, the committed text once', async () => {
        const cdp = await page.context().newCDPSession(page);
        const sentBefore = posted.length;
        const ownerBefore = await page.locator(OWNER).count();
        await sendBox().click();
        await cdp.send('Input.imeSetComposition', { text: 'wu', selectionStart: 2, selectionEnd: 2 });
        await cdp.send('Input.imeSetComposition', { text: 'wu ye', selectionStart: 5, selectionEnd: 5 });
        await page.waitForTimeout(300);
        expect(posted.length).toBe(sentBefore);
        // Enter while the composition is open (what a pinyin IME's keyboard sends): still nothing goes out.
        await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
        await page.waitForTimeout(300);
        expect(posted.length).toBe(sentBefore);
        await cdp.send('Input.insertText', { text: '物业电话' });
        expect(await sendBox().inputValue()).toBe('物业电话');
        expect(posted.length).toBe(sentBefore);
        await sendBox().press('Enter');
        await poll(() => page.locator(OWNER).count()).toBe(ownerBefore + 1);
        await page.waitForTimeout(300);
        expect(posted.slice(sentBefore)).toEqual(['物业电话']);
        expect(await page.locator(OWNER).last().innerText()).toBe('物业电话');
        await cdp.detach();
    }, 20_000);

    it('offers a young owner\'s follow-up questions as buttons, and a button asks its question', async () => {
        // A new browser profile: a new conversation, whose owner writes like a young one.
        const other = await browser.newContext({ viewport: { width: 375, height: 667 } });
        const young = await other.newPage();
        try {
            await young.goto(`${server.url}/chat`);
            await poll(() => young.locator(LINLI).count()).toBe(1);
            await young.locator('.webchat__send-box-text-box__input').fill('哈哈 物业费怎么交呀');
            await young.keyboard.press('Enter');
            const buttons = young.locator('button.webchat__suggested-action');
            await poll(() => buttons.count()).toBeGreaterThan(0);
            const question = (await buttons.first().innerText()).trim();
            await buttons.first().click();
            await poll(() => young.locator(OWNER).last().innerText()).toBe(question);
            await poll(() => young.locator(LINLI).count()).toBe(3);
            await young.screenshot({ path: join(SCREENSHOTS, '7-suggested-actions.png') });
        } finally {
            await other.close();
        }
    }, 20_000);

    it('embeds in an iframe on the estate\'s site (CHAT_ALLOWED_ORIGINS), and in no other site\'s', async () => {
        // Two stand-in estate sites on loopback ports: one listed, one not.
        const sites = await Promise.all([0, 1].map(() => estateSite()));
        const [listed, unlisted] = sites as [EstateSite, EstateSite];
        const linli = await startTestServer({ DIRECT_LINE_SECRET: SECRET, CHAT_ALLOWED_ORIGINS: listed.origin });
        const other = await browser.newContext({ viewport: { width: 375, height: 667 } });
        try {
            listed.embed(`${linli.url}/chat`);
            unlisted.embed(`${linli.url}/chat`);
            const estate = await other.newPage();
            await estate.goto(listed.origin);
            await poll(() => estate.frameLocator('iframe').locator(LINLI).count()).toBe(1);
            await estate.screenshot({ path: join(SCREENSHOTS, '8-embedded-on-estate-site.png') });
            const refused = await other.newPage();
            await refused.goto(unlisted.origin);
            await refused.waitForTimeout(500);
            expect(await refused.frameLocator('iframe').locator('#webchat').count()).toBe(0);
        } finally {
            await other.close();
            await linli.close();
            for (const site of sites) site.server.close();
        }
    }, 20_000);

    it('logged no error in the page (a CSP refusal would be one)', () => {
        expect(pageErrors).toEqual([]);
    }, 20_000);
});
