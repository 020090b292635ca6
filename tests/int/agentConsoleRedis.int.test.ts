import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../bot/config';
import { consoleRoundTrip } from '../helpers/agentConsoleScenario';
import { browserSuitesRun, launchChromium } from '../helpers/browser';
import { testRedis } from '../helpers/redis';
import { StandInChannel } from '../helpers/standInChannel';
import { startTestServer, type TestServer } from '../helpers/testServer';

const { redis, prefix } = await testRedis();
const TOKEN = 'alice-token-0123456789';
const channel = new StandInChannel();
let owners: TestServer;
let agents: TestServer;
let browser: Browser;
let page: Page;

describe.skipIf(!redis || !browserSuitesRun())('agent console in Chromium, on Redis with two instances', () => {
    beforeAll(async () => {
        await channel.start();
        const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix, AGENT_TOKENS: `alice:${TOKEN}` };
        [owners, agents] = await Promise.all([startTestServer(env), startTestServer(env)]);
        await Promise.all([owners.linli.feed.ready, agents.linli.feed.ready]);
        browser = await launchChromium();
        page = await browser.newPage();
    }, 30_000);
    afterAll(async () => {
        await browser?.close();
        await Promise.all([owners?.close(), agents?.close()]);
        await channel.stop();
    });

    it('the owner talks to one instance, the agent works in the console of the other', async () => {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await consoleRoundTrip(page, agents, owners.url, channel, TOKEN, 'browser-redis-1');
        expect(errors).toEqual([]);
    }, 30_000);
});
