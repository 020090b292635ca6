import { createRequire } from 'node:module';
import type { Activity } from 'botbuilder';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dl, SECRET } from '../helpers/directLine';
import { startTestServer, type TestServer } from '../helpers/testServer';

// Microsoft's client reads the browser's globals: XMLHttpRequest (rxjs's ajax) and WebSocket (its stream), as its
// README says for Node. Set before it is loaded.
const globals = globalThis as Record<string, unknown>;
globals.XMLHttpRequest = createRequire(import.meta.url)('xhr2') as unknown;
globals.WebSocket = WebSocket;
const { DirectLine, ConnectionStatus } = await import('botframework-directlinejs');

/** The parts of the client this test drives that its typings keep private. */
interface RefreshableClient {
    refreshToken(): { toPromise(): Promise<string> };
    token: string;
    conversationId: string;
}

let skewMs = 0;
let server: TestServer;

beforeAll(async () => {
    server = await startTestServer({ DIRECT_LINE_SECRET: SECRET }, { clock: () => new Date(Date.now() + skewMs) });
});
afterAll(async () => server.close());

describe('botframework-directlinejs against Linli', () => {
    it('holds a whole conversation: welcome, question and cited answer, a refreshed token past the old one\'s expiry, a reconnect', async () => {
        const generated = await dl(server.url, 'POST', '/tokens/generate', SECRET, { user: { id: 'estate-7' } });
        // `random` 0: the client waits its shortest retry delay (3 s) before reconnecting a closed socket.
        const client = new DirectLine({ token: String(generated.json.token), domain: `${server.url}/v3/directline`, webSocket: true, timeout: 5000, random: () => 0 } as ConstructorParameters<typeof DirectLine>[0]);
        const seen: Partial<Activity>[] = [];
        const statuses: number[] = [];
        const subscription = client.activity$.subscribe((a) => seen.push(a as Partial<Activity>));
        client.connectionStatus$.subscribe((s) => statuses.push(s));
        const waitFor = async (test: (a: Partial<Activity>) => boolean, what: string) => {
            const deadline = Date.now() + 8000;
            while (!seen.some(test)) {
                if (Date.now() > deadline) throw new Error(`no ${what}; saw ${JSON.stringify(seen.map((a) => [a.type, a.from?.id, a.text?.slice(0, 16)]))}`);
                await new Promise((r) => setTimeout(r, 20));
            }
            return seen.find(test)!;
        };
        const bot = (a: Partial<Activity>) => a.type === 'message' && a.from?.role === 'bot';

        await waitFor(bot, 'welcome');
        expect(statuses).toContain(ConnectionStatus.Online);
        const say = (text: string) =>
            new Promise<string>((resolve, reject) =>
                client.postActivity({ type: 'message', from: { id: 'browser-chosen-id' }, text } as never).subscribe({ next: resolve, error: reject }),
            );
        const id = await say('物业费多少钱一平米');
        const echo = await waitFor((a) => a.id === id, 'echo');
        expect(echo.from?.id).toBe('estate-7');
        const answer = await waitFor((a) => bot(a) && a.replyToId === id, 'answer');
        expect(answer.text).toMatch(/依据|《/);

        // The client's 15-minute refresh, through the route; then the first token's life runs out.
        const refreshable = client as unknown as RefreshableClient;
        skewMs += 15 * 60 * 1000;
        const refreshed = await refreshable.refreshToken().toPromise();
        refreshable.token = refreshed;
        skewMs += 20 * 60 * 1000;
        expect((await dl(server.url, 'GET', `/conversations/${refreshable.conversationId}/activities`, String(generated.json.token))).status).toBe(403);
        const second = await say('我的报修怎么样了');
        await waitFor((a) => bot(a) && a.replyToId === second, 'reply after refresh');

        // Five more sockets on the conversation: the server closes the oldest (the client's), which reconnects by
        // GET /conversations/:id?watermark= and carries on from its watermark.
        const extra: WebSocket[] = [];
        for (let i = 0; i < 5; i++) {
            const reconnect = await dl(server.url, 'GET', `/conversations/${refreshable.conversationId}`, refreshed);
            const ws = new WebSocket(String(reconnect.json.streamUrl));
            await new Promise((resolve) => ws.once('open', resolve));
            extra.push(ws);
        }
        await new Promise((r) => setTimeout(r, 300));
        const third = await say('谢谢');
        await waitFor((a) => bot(a) && a.replyToId === third, 'reply after the reconnect');
        for (const ws of extra) ws.close();

        // Nothing arrived twice, even through the welcome replay and the pushes.
        const ids = seen.map((a) => a.id);
        expect(new Set(ids).size).toBe(ids.length);
        subscription.unsubscribe();
        client.end();
    });
});
