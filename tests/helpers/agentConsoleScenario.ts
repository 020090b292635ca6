import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { StandInChannel } from './standInChannel';
import { say, type TestServer } from './testServer';

/** The page and the servers share two cores with the other test files: wait up to 5 s before calling it a failure. */
export const poll = <T>(check: () => T | Promise<T>) => expect.poll(check, { timeout: 5000 });

/**
 * The console round trip an agent makes, in a real browser: sign in; an owner in an emergency appears in the queue
 * live; open it (transcript, ticket, suggested replies); accept; answer; see the owner's next words arrive; move the
 * ticket; release. Checks what the owner's channel receives along the way. `ownerUrl` is the instance the owner talks
 * to (another instance than the console's, in the scale-out test).
 */
/** Signs the console in with a staff token (the token form folds away under the name-and-password form). */
export async function signInWithToken(page: Page, token: string): Promise<void> {
    await page.locator('details:has(#token) > summary').click();
    await page.getByTestId('token').fill(token);
    await page.getByRole('button', { name: '令牌登录' }).click();
}

export async function consoleRoundTrip(page: Page, consoleServer: TestServer, ownerUrl: string, channel: StandInChannel, token: string, conversationId: string): Promise<void> {
    await page.goto(`${consoleServer.url}/agent`);
    await signInWithToken(page, token);
    await poll(() => page.getByTestId('who').textContent()).toMatch(/坐席.*：alice$/);
    await poll(() => page.locator('#feed-state').textContent()).toMatch(/实时/);

    // An owner in an emergency: the queue row arrives over the live feed, without a reload.
    const owner = { conversationId, userId: `owner-${conversationId}`, channelId: 'webchat', serviceUrl: channel.url };
    await say(ownerUrl, '电梯里有人被困住了，快来人', owner);
    const row = page.locator(`[data-testid="queue-row"][data-conversation-id="${conversationId}"]`);
    await row.waitFor({ timeout: 5000 });
    expect(await row.textContent()).toMatch(/P1.*紧急情况.*(等待接入|派给我)/);

    // Open it: transcript, the emergency ticket and suggested replies from the scripts.
    await row.click();
    await poll(() => page.getByTestId('transcript').textContent()).toContain('电梯里有人被困住了');
    await poll(() => page.locator('#ticket-id').textContent()).toMatch(/^TS-/);
    expect(await page.getByTestId('suggestion').count()).toBeGreaterThan(0);

    await page.getByTestId('accept').click();
    await poll(() => page.getByTestId('release').isVisible()).toBe(true);
    await poll(() => channel.to(conversationId).some((d) => d.text?.includes('alice'))).toBe(true);

    // A suggested reply fills the box; the agent edits and sends; the owner's channel receives it.
    await page.getByTestId('suggestion').first().click();
    expect(await page.getByTestId('reply').inputValue()).not.toBe('');
    await page.getByTestId('reply').fill('您别慌，值班电工已经在路上，五分钟到。');
    await page.getByTestId('send').click();
    await poll(() => channel.to(conversationId).some((d) => d.text === 'alice：您别慌，值班电工已经在路上，五分钟到。')).toBe(true);
    await poll(() => page.getByTestId('transcript').textContent()).toContain('坐席 alice：您别慌');

    // The owner answers; it shows up in the open conversation through the feed.
    await say(ownerUrl, '好的谢谢，我们在里面等着', owner);
    await poll(() => page.getByTestId('transcript').textContent()).toContain('我们在里面等着');

    // Move the ticket along (recorded under the agent's name), then hand the owner back to the bot.
    await page.getByTestId('ticket-status').selectOption('in_progress');
    await page.getByTestId('ticket-save').click();
    const ticketId = (await page.locator('#ticket-id').textContent()) ?? '';
    await poll(async () => (await consoleServer.linli.tickets.get(ticketId))?.status).toBe('in_progress');
    await poll(async () => (await consoleServer.linli.handoffs.transcript(conversationId)).some((e) => e.event === 'ticket.updated' && e.agent === 'alice')).toBe(true);
    await page.getByTestId('release').click();
    await poll(async () => (await consoleServer.linli.handoffs.get(conversationId))?.status).toBe('closed');
    await poll(() => channel.to(conversationId).at(-1)?.text ?? '').toMatch(/小邻/);
}
