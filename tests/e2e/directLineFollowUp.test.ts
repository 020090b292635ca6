import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, dl, isBotMessage, openConversation, post, SECRET, StreamSocket } from '../helpers/directLine';
import { startTestServer, type TestServer } from '../helpers/testServer';

let now: Date | null = null;
let server: TestServer;

beforeAll(async () => {
    server = await startTestServer({ DIRECT_LINE_SECRET: SECRET }, { clock: () => now ?? new Date() });
});
afterAll(async () => server.close());

describe('follow-up visits to a web owner', () => {
    it('arrive through the registry on channel webchat, in the activities and on the socket, and the answers are recorded', async () => {
        const c = await openConversation(server.url);
        const say = async (text: string) => {
            const { json } = await post(server.url, { ...c, token: SECRET }, { type: 'message', text });
            return (await activities(server.url, { ...c, token: SECRET })).activities.filter((a) => isBotMessage(a) && a.replyToId === json.id).map((a) => a.text ?? '');
        };
        await say('楼道的灯坏了好几天没人修');
        await say('对');
        await say('4号楼');
        const done = (await say('13812345678')).join('');
        const ticketId = /TS-\d{8}-\d{4}/.exec(done)?.[0];
        expect(ticketId, done).toBeDefined();
        const ticket = (await server.linli.tickets.get(ticketId!))!;
        expect(ticket.channelId).toBe('webchat');
        expect(ticket.ownerId).toMatch(/^dl_/);
        await server.linli.tickets.update(ticketId!, { status: 'in_progress' }, 'alice');
        await server.linli.tickets.update(ticketId!, { status: 'replied' }, 'alice');
        // Tokens expire with the clock moved a day on; the secret still reads the conversation.
        now = new Date(Date.parse(ticket.followUp.dueAt!) + 60_000);
        const reconnect = await dl(server.url, 'GET', `/conversations/${c.conversationId}?watermark=${(await activities(server.url, { ...c, token: SECRET })).watermark}`, SECRET);
        const socket = await StreamSocket.open(String(reconnect.json.streamUrl));
        expect(await server.linli.followUps().tick()).toBe(1);
        await socket.waitFor((a) => isBotMessage(a) && (a.text ?? '').includes(ticketId!));
        const visit = (await activities(server.url, { ...c, token: SECRET })).activities.filter(isBotMessage).at(-1);
        expect(visit?.text).toContain(ticketId!);
        expect(visit?.channelId).toBe('webchat');
        socket.close();
        expect((await say('已经修好了')).join('')).toMatch(/打个分|1到5/);
        expect((await say('5分')).join('')).toMatch(/谢谢/);
        expect(await server.linli.tickets.get(ticketId!)).toMatchObject({ status: 'revisited', followUp: { result: { fixed: true, satisfaction: 5 } } });
    });
});
