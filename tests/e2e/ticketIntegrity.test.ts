import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../adapters/storage/SqliteStorage';
import { SqliteTicketStore } from '../../adapters/tickets/SqliteTicketStore';
import { AgentApi } from '../helpers/agentApi';
import { FailingStorage } from '../helpers/FailingStorage';
import { FailingTicketStore } from '../helpers/FailingTicketStore';
import { say, startTestServer, texts, type TestServer, type Turn } from '../helpers/testServer';

const TOKEN = 'alice-token-0123456789';
const TICKET_NUMBER = /TS-\d{8}-\d{4}/;
const HOTLINE = '400-800-1234';

interface LogLine {
    level: number;
    msg: string;
    fields?: string[];
    [key: string]: unknown;
}

let server: TestServer;
let api: AgentApi;
let storage: FailingStorage;
let tickets: FailingTicketStore;
let log = '';

beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-integrity-'));
    storage = new FailingStorage(new SqliteStorage(join(dataDir, 'linli.sqlite')));
    tickets = new FailingTicketStore(new SqliteTicketStore(join(dataDir, 'tickets.sqlite')));
    const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
            log += chunk.toString();
            done();
        },
    });
    server = await startTestServer({ AGENT_TOKENS: `alice:${TOKEN}`, LOG_LEVEL: 'warn', DATA_DIR: dataDir }, { storage, ticketStore: tickets.store }, sink);
    api = new AgentApi(server.url, TOKEN);
});
afterAll(async () => server.close());
beforeEach(() => {
    storage.failWrites = false;
    tickets.failInserts = false;
});

function logLines(): LogLine[] {
    return log
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine);
}

interface TicketView {
    id: string;
    conversationId: string;
    kind: string;
    contact: Record<string, string>;
}

async function ticketsOf(conversationId: string): Promise<TicketView[]> {
    const { json } = await api.call('GET', '/api/tickets');
    const all = (Array.isArray(json) ? json : (json.tickets as TicketView[])) as TicketView[];
    return all.filter((t) => t.conversationId === conversationId);
}

/** The complaint flow up to its last question (the phone number), as fileComplaint goes through it. */
async function complainUpToPhone(owner: Parameters<typeof say>[2]): Promise<void> {
    await say(server.url, '电梯又坏了，天天坏，你们管不管', owner);
    await say(server.url, '对', owner);
    await say(server.url, '3号楼1单元', owner);
}

const all = (turn: Turn) => texts(turn).join('\n');

describe('owner profile fields and the ticket contact rule', () => {
    it('keeps a 40-character name, and the complaint gets a real ticket with it', async () => {
        const name = '欧阳'.padEnd(40, '娜');
        const owner = { conversationId: 'profile-40', userId: 'owner-40', channelData: { owner: { name } } };
        await complainUpToPhone(owner);
        const done = all(await say(server.url, '13812345678', owner));
        const id = TICKET_NUMBER.exec(done)?.[0];
        expect(id).toBeDefined();
        const [ticket] = await ticketsOf('profile-40');
        expect(ticket).toMatchObject({ id, kind: 'complaint' });
        expect(ticket?.contact.name).toBe(name);
    });

    it('drops a 70-character name with a warning naming the field (never its value), and the complaint still gets a ticket', async () => {
        const name = `张${'三'.repeat(69)}`;
        const owner = { conversationId: 'profile-70', userId: 'owner-70', channelData: { owner: { name, phone: '13900001111' } } };
        const first = await say(server.url, '电梯又坏了，天天坏，你们管不管', owner);
        expect(first.status).toBe(200);
        expect(all(first)).toContain('电梯');
        await say(server.url, '对', owner);
        const done = all(await say(server.url, '3号楼1单元', owner));
        const id = TICKET_NUMBER.exec(done)?.[0];
        expect(id).toBeDefined();
        const [ticket] = await ticketsOf('profile-70');
        expect(ticket?.id).toBe(id);
        expect(ticket?.contact.name).toBeUndefined();
        expect(ticket?.contact.phone).toBe('13900001111');
        const warning = logLines().find((l) => l.level === 40 && l.conversationId === 'profile-70' && l.fields?.includes('name'));
        expect(warning).toBeDefined();
        expect(log).not.toContain(name);
    });

    it('drops an address part of 33–64 characters (kept before, refused by every ticket) and asks for the place instead', async () => {
        const building = '阳光花园'.repeat(10);
        const owner = { conversationId: 'profile-building', userId: 'owner-building', channelData: { owner: { building, room: '1502' } } };
        await say(server.url, '电梯又坏了，天天坏，你们管不管', owner);
        const asked = all(await say(server.url, '对', owner));
        expect(asked).toMatch(/位置|几号楼/);
        await say(server.url, '3号楼1单元', owner);
        const done = all(await say(server.url, '13812345678', owner));
        expect(done).toMatch(TICKET_NUMBER);
        const [ticket] = await ticketsOf('profile-building');
        expect(ticket?.contact.building).toBe('3');
        expect(logLines().some((l) => l.level === 40 && l.conversationId === 'profile-building' && l.fields?.includes('building'))).toBe(true);
        expect(log).not.toContain(building);
    });

    it('drops a field a profile stored before the rule holds, so that owner\'s complaint still gets a ticket', async () => {
        const building = '阳光花园'.repeat(10);
        await server.linli.storage.write({ 'emulator/users/owner-stored/': { profile: { building, unit: '2', room: '1502', persona: 'default' } } });
        const owner = { conversationId: 'profile-stored', userId: 'owner-stored' };
        await say(server.url, '电梯又坏了，天天坏，你们管不管', owner);
        expect(all(await say(server.url, '对', owner))).toMatch(/位置|几号楼/);
        await say(server.url, '3号楼1单元', owner);
        expect(all(await say(server.url, '13812345678', owner))).toMatch(TICKET_NUMBER);
        expect((await ticketsOf('profile-stored'))[0]?.contact.building).toBe('3');
        expect(logLines().some((l) => l.level === 40 && l.source === 'stored' && l.conversationId === 'profile-stored' && l.fields?.includes('building'))).toBe(true);
    });

    it('answers the message whatever the profile holds, and names every field it dropped', async () => {
        const owner = { conversationId: 'profile-hostile', userId: 'owner-hostile', channelData: { owner: { name: { first: '张' }, phone: 13812345678, room: 'x'.repeat(5000), birthYear: '1950' } } };
        const turn = await say(server.url, '你好', owner);
        expect(turn.status).toBe(200);
        expect(texts(turn)).toHaveLength(1);
        const warned = logLines().filter((l) => l.level === 40 && l.conversationId === 'profile-hostile').flatMap((l) => l.fields ?? []);
        expect(new Set(warned)).toEqual(new Set(['name', 'phone', 'room', 'birthYear']));
        const odd = await say(server.url, '你好', { conversationId: 'profile-not-an-object', channelData: { owner: 'owner' } });
        expect(texts(odd)).toHaveLength(1);
    });

    it('never announces a ticket it could not write: the owner hears it was not recorded and the hotline', async () => {
        const owner = { conversationId: 'ticket-down', userId: 'owner-down' };
        await complainUpToPhone(owner);
        tickets.failInserts = true;
        const turn = await say(server.url, '13812345678', owner);
        const heard = all(turn);
        expect(heard).not.toMatch(TICKET_NUMBER);
        expect(heard).not.toMatch(/记下|记录下来/);
        expect(heard).toContain('没能确认登记');
        expect(heard).toContain(HOTLINE);
        expect(await ticketsOf('ticket-down')).toHaveLength(0);
        expect(logLines().some((l) => l.level === 50 && l.conversationId === 'ticket-down' && l.msg === 'ticket could not be written')).toBe(true);
    });
});

describe('an emergency whose ticket cannot be written', () => {
    it('still reaches the agents at priority 1 and the error log; the owner hears the safety steps and the hotline', async () => {
        tickets.failInserts = true;
        const turn = await say(server.url, '电梯突然停了，我被困在电梯里了', { conversationId: 'emergency-down', userId: 'owner-emergency', channelId: 'webchat' });
        const heard = all(turn);
        expect(heard).toMatch(/安全|不要/);
        expect(heard).toContain(HOTLINE);
        expect(heard).not.toMatch(/通知值班|叫值班|值班人员马上到场/);
        expect(heard).not.toMatch(TICKET_NUMBER);
        const initiation = turn.activities.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
        expect(initiation?.value).toMatchObject({ reason: 'emergency', ticketId: null });
        const { json } = await api.call('GET', '/api/handoffs?status=queued');
        const queued = (json.handoffs as { conversationId: string; priority: number; ticketId: string | null }[]).find((h) => h.conversationId === 'emergency-down');
        expect(queued).toMatchObject({ priority: 1, ticketId: null });
        expect(logLines().some((l) => l.level === 50 && l.conversationId === 'emergency-down')).toBe(true);
    });

    it('does not say the place was added to an emergency ticket that was never written', async () => {
        tickets.failInserts = true;
        await say(server.url, '厨房煤气味很重，好像漏气了', { conversationId: 'emergency-no-ticket', userId: 'owner-no-ticket', channelId: 'webchat' });
        tickets.failInserts = false;
        const heard = all(await say(server.url, '5号楼2单元1502', { conversationId: 'emergency-no-ticket', userId: 'owner-no-ticket', channelId: 'webchat' }));
        expect(heard).not.toMatch(/工单/);
        expect(heard).toContain(HOTLINE);
    });
});

describe('a state save that fails after the ticket was written', () => {
    it('tells the owner the ticket stands (not "try again later"), and sending again gives the same ticket, once', async () => {
        const owner = { conversationId: 'save-fails', userId: 'owner-save' };
        await complainUpToPhone(owner);
        storage.failWrites = true;
        const failed = all(await say(server.url, '13812345678', owner));
        const id = TICKET_NUMBER.exec(failed)?.[0];
        expect(id).toBeDefined();
        expect(failed).not.toContain('稍后再试');
        expect(failed).toContain('不用重复提交');
        storage.failWrites = false;
        // The turn's state was not saved: the flow still waits for the phone number, and the owner sends it again.
        const again = all(await say(server.url, '13812345678', owner));
        expect(TICKET_NUMBER.exec(again)?.[0]).toBe(id);
        expect((await ticketsOf('save-fails')).map((t) => t.id)).toEqual([id]);
    });

    it('gives the same ticket when a flow that opened and resolved in one turn is sent again', async () => {
        const owner = { conversationId: 'save-fails-repair', userId: 'owner-repair' };
        storage.failWrites = true;
        const first = all(await say(server.url, '3号楼2单元501厨房水管漏水了，明天上午来修，电话13800002222', owner));
        storage.failWrites = false;
        const id = TICKET_NUMBER.exec(first)?.[0];
        expect(id).toBeDefined();
        expect(first).not.toContain('稍后再试');
        const again = all(await say(server.url, '3号楼2单元501厨房水管漏水了，明天上午来修，电话13800002222', owner));
        expect(TICKET_NUMBER.exec(again)?.[0]).toBe(id);
        expect((await ticketsOf('save-fails-repair')).map((t) => t.id)).toEqual([id]);
    });

    it('gives an emergency sent again after a failed save the same ticket', async () => {
        const owner = { conversationId: 'save-fails-emergency', userId: 'owner-fire', channelId: 'webchat' };
        storage.failWrites = true;
        await say(server.url, '楼道里着火了，好大的烟', owner);
        storage.failWrites = false;
        await say(server.url, '楼道里着火了，好大的烟', owner);
        expect((await ticketsOf('save-fails-emergency')).filter((t) => t.kind === 'emergency')).toHaveLength(1);
    });
});
