import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnLinli, type LinliProcess } from '../helpers/spawnLinli';
import { StandInChannel } from '../helpers/standInChannel';
import { say, texts } from '../helpers/testServer';

// A slow channel that refuses typing activities: the typing indicator's send settles after the turn has ended.
// botbuilder's ShowTypingMiddleware then left a rejection unhandled, and the process died. The server runs as its
// own process here, so a crash shows.
const channel = new StandInChannel({ delayMs: 1200, refuseTypes: ['typing'] });
let linli: LinliProcess;

beforeAll(async () => {
    await channel.start();
    linli = await spawnLinli({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-typing-')) });
});
afterAll(async () => {
    await linli.stop();
    await channel.stop();
});

describe('the typing indicator on a slow channel that refuses it', () => {
    it('does not take the process down, and the next message is answered', async () => {
        const res = await fetch(`${linli.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                type: 'message',
                channelId: 'webchat',
                serviceUrl: channel.url,
                conversation: { id: 'typing-slow' },
                from: { id: 'owner-typing' },
                recipient: { id: 'linli' },
                text: '物业费怎么交',
            }),
        });
        expect(res.status).toBe(200);
        // The typing activity went out during the turn and is refused after it.
        await expect.poll(() => channel.refused.length, { timeout: 5000 }).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(linli.child.exitCode).toBeNull();
        expect(channel.delivered.some((d) => d.type === 'message')).toBe(true);

        const next = await say(linli.url, '您好', { conversationId: 'typing-next' });
        expect(next.status).toBe(200);
        expect(texts(next).length).toBeGreaterThan(0);
        // Handled by the indicator itself, not merely survived: nothing went unhandled, and the turn did not fail.
        const metrics = await (await fetch(`${linli.url}/metrics`)).text();
        expect(metrics).not.toMatch(/linli_errors_total\{kind="unhandled_rejection"\} [1-9]/);
        expect(linli.output().stdout).not.toContain('turn failed');
    });
});
