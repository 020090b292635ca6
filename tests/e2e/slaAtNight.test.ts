import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { local, SLA_TABLE } from '../helpers/slaTable';
import { say, startTestServer, texts, type TestServer } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
/** The SLA table's night complaint: Tuesday 2026-11-24, 23:10 in Beijing, typed in chat. */
const NIGHT = SLA_TABLE.find((row) => row.at === '2026-11-24 23:10' && row.kind === 'complaint' && row.medium === 'chat')!;

let now = local(NIGHT.at);
let server: TestServer;
let log = '';
beforeAll(async () => {
    const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
            log += chunk.toString();
            done();
        },
    });
    // The server's clock is the test's (Linli's clock option); the process's own TZ is whatever the machine has.
    server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, LOG_LEVEL: 'warn' }, { clock: () => now }, sink);
});
afterAll(async () => server.close());

const staff = async <T>(path: string): Promise<T> => (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<T>;

describe('a complaint filed at night, over HTTP', () => {
    it('is told a daytime deadline in words, and its ticket carries the SLA table’s times', async () => {
        const owner = { conversationId: 'night-lift', userId: 'owner-night', channelId: 'emulator' };
        await say(server.url, '电梯又坏了，晚上回来爬了十几层楼，你们到底管不管', owner);
        await say(server.url, '对', owner);
        await say(server.url, '3号楼1单元', owner);
        const closing = texts(await say(server.url, '13812345678', owner)).join('\n');

        // 23:10 on a working day: the desk opens at 08:00, so a call by 08:15 (said 8点半) and a result by the close.
        expect(closing).toContain('明天上午8点半前联系您');
        expect(closing).toContain('明天下午6点前给您处理结果');
        expect(closing).not.toMatch(/凌晨|\d{1,2}:\d{2}|晚上1[01]点|今天/);

        const ticketId = /TS-\d{8}-\d{4}/.exec(closing)?.[0];
        const ticket = await staff<{ createdAt: string; sla: { responseDueAt: string; feedbackDueAt: string; replyDueAt: string } }>(`/api/tickets/${ticketId}`);
        expect(ticket.createdAt).toBe(local(NIGHT.at).toISOString());
        expect(ticket.sla).toMatchObject({
            responseDueAt: local(NIGHT.response).toISOString(),
            feedbackDueAt: local(NIGHT.feedback).toISOString(),
            replyDueAt: local(NIGHT.reply).toISOString(),
        });

        // Asked again at 23:30, the owner hears the same daytime deadline.
        now = local('2026-11-24 23:30');
        const status = texts(await say(server.url, '我刚才投诉的电梯处理得怎么样了', { ...owner, conversationId: 'night-lift-2' })).join('\n');
        expect(status).toContain(ticketId);
        expect(status).toContain('响应时限：明天上午8点半');
    });

    it('warns at start-up and on /metrics that next year’s holidays are not known yet', async () => {
        expect(log).toMatch(/not in chinese-days yet/);
        expect(log).toContain('2027');
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        expect(metrics).toMatch(/linli_working_calendar_fallback\{year="2026"\} 0/);
        expect(metrics).toMatch(/linli_working_calendar_fallback\{year="2027"\} 1/);
    });
});
