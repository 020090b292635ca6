import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOutcomeStore } from '../../adapters/outcomes/SqliteOutcomeStore';
import type { KnowledgeGap, Outcome, OutcomeChange, OutcomeRef } from '../../bot/outcomes/Outcome';
import type { OutcomeStore } from '../../bot/outcomes/OutcomeStore';
import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import { AgentApi } from '../helpers/agentApi';
import { StandInChannel } from '../helpers/standInChannel';
import { say, startTestServer, texts } from '../helpers/testServer';

const ALICE = 'alice-token-0123456789';
const channel = new StandInChannel();

/** The embedded store, counting the writes Linli asks of it. */
class CountingOutcomeStore implements OutcomeStore {
    readonly records: OutcomeChange[] = [];
    readonly gapTexts: string[] = [];
    private readonly inner = new SqliteOutcomeStore(':memory:');
    record(ref: OutcomeRef, at: Date, change: OutcomeChange, startsAt?: Date): Promise<Outcome> {
        this.records.push(change);
        return this.inner.record(ref, at, change, startsAt);
    }
    list(from: Date, to: Date): Promise<Outcome[]> {
        return this.inner.list(from, to);
    }
    ofOwner(channelId: string, ownerId: string, limit: number): Promise<Outcome[]> {
        return this.inner.ofOwner(channelId, ownerId, limit);
    }
    addGap(gap: KnowledgeGap): Promise<void> {
        this.gapTexts.push(gap.text);
        return this.inner.addGap(gap);
    }
    gaps(from: Date, to: Date): Promise<KnowledgeGap[]> {
        return this.inner.gaps(from, to);
    }
}

/** A store that does not answer. */
const downStore: OutcomeStore = {
    record: () => Promise.reject(new StorageUnavailableError('outcome write', new Error('connection refused'))),
    list: () => Promise.reject(new StorageUnavailableError('outcome read', new Error('connection refused'))),
    ofOwner: () => Promise.reject(new StorageUnavailableError('outcome read', new Error('connection refused'))),
    addGap: () => Promise.reject(new StorageUnavailableError('knowledge gap write', new Error('connection refused'))),
    gaps: () => Promise.reject(new StorageUnavailableError('knowledge gap read', new Error('connection refused'))),
};

beforeAll(() => channel.start());
afterAll(() => channel.stop());

describe('outcome records, written where things happen', () => {
    it('cost one write on a conversation’s first turn, one per unanswered message and one per handoff step; none on other turns', async () => {
        const store = new CountingOutcomeStore();
        const server = await startTestServer({ AGENT_TOKENS: `alice:${ALICE}` }, { outcomes: store });
        try {
            const owner = { conversationId: 'cheap-1', userId: 'owner-cheap', channelId: 'webchat', serviceUrl: channel.url };
            await say(server.url, '物业费怎么交', owner);
            expect(store.records).toHaveLength(1);
            expect(store.records[0]).toMatchObject({ startedAt: expect.any(String), firstBotReplyAt: expect.any(String) });
            await say(server.url, '停车费多少钱一个月', owner);
            await say(server.url, '装修要办什么手续', owner);
            expect(store.records).toHaveLength(1);
            await say(server.url, '今天股市行情怎么样，我电话13812345678', owner);
            expect(store.gapTexts).toEqual(['今天股市行情怎么样，我电话138****5678']);
            expect(store.records).toHaveLength(1);
            await say(server.url, '我要找人工客服', owner);
            const alice = new AgentApi(server.url, ALICE);
            expect((await alice.call('POST', '/api/handoffs/cheap-1/accept')).status).toBe(200);
            for (const text of ['您好，我是小李', '请问还有什么要帮忙的', '好的']) expect((await alice.call('POST', '/api/handoffs/cheap-1/messages', { text })).status).toBe(200);
            expect((await alice.call('POST', '/api/handoffs/cheap-1/release')).status).toBe(200);
            // queued, accepted, the first reply only, released.
            expect(store.records.slice(1).map((c) => Object.keys(c))).toEqual([['handoff'], ['accepted'], ['humanReplyAt'], ['resolved']]);
            const [record] = await store.list(new Date(0), new Date(Date.now() + 60_000));
            expect(record).toMatchObject({ conversationId: 'cheap-1', handoffs: 1, agent: 'alice', resolution: { how: 'agent_released' } });
            expect(record!.firstHumanReplyAt).not.toBeNull();
        } finally {
            await server.close();
        }
    });

    it('are figures, not promises: with their store down the owner is answered, the agent works on, and the log says what was not recorded', async () => {
        let log = '';
        const sink = new Writable({
            write(chunk: Buffer, _encoding, done) {
                log += chunk.toString();
                done();
            },
        });
        const server = await startTestServer({ AGENT_TOKENS: `alice:${ALICE}`, LOG_LEVEL: 'warn' }, { outcomes: downStore }, sink);
        try {
            const owner = { conversationId: 'down-1', userId: 'owner-down', channelId: 'webchat', serviceUrl: channel.url };
            const first = await say(server.url, '物业费怎么交', owner);
            expect(first.status).toBe(200);
            expect(texts(first).join('')).toMatch(/物业费|缴/);
            const gap = await say(server.url, '今天股市行情怎么样', owner);
            expect(texts(gap).length).toBeGreaterThan(0);
            await say(server.url, '我要找人工客服', owner);
            const alice = new AgentApi(server.url, ALICE);
            expect((await alice.call('POST', '/api/handoffs/down-1/accept')).status).toBe(200);
            expect((await alice.call('POST', '/api/handoffs/down-1/messages', { text: '您好' })).status).toBe(200);
            expect(log).toContain('conversation outcome not recorded');
            expect(log).toContain('knowledge gap not recorded');
            // The report needs the records: it answers 503 with Retry-After, like every route on a store that is down.
            const report = await fetch(`${server.url}/api/reports/complaints?month=2026-11`, { headers: { authorization: `Bearer ${ALICE}` } });
            expect(report.status).toBe(503);
            expect(report.headers.get('retry-after')).toBeTruthy();
        } finally {
            await server.close();
        }
    });
});
