import { TestAdapter, type TurnContext } from 'botbuilder';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../bot/logger';
import { TranscriptMiddleware } from '../../bot/middleware/TranscriptMiddleware';
import type { TranscriptEntry } from '../../bot/transcripts/TranscriptStore';

interface LoggedTurn {
    msg: string;
    transcript: { channelId: string; conversationId: string; outcome: string; lines: TranscriptEntry[] };
}

/** A TestAdapter whose turns pass through the transcript middleware into an in-memory log. */
function harness(logic: (context: TurnContext) => Promise<void>): { adapter: TestAdapter; logged: LoggedTurn[] } {
    const logged: LoggedTurn[] = [];
    const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
            logged.push(JSON.parse(chunk.toString()) as LoggedTurn);
            done();
        },
    });
    const adapter = new TestAdapter(logic).use(new TranscriptMiddleware(createLogger('info', sink)));
    return { adapter, logged };
}

describe('TranscriptMiddleware', () => {
    it('logs the owner message and every reply of a turn as one line, phone numbers masked', async () => {
        const { adapter, logged } = harness(async (context) => {
            await context.sendActivity(`好的，记下了：${context.activity.text ?? ''}`);
            await context.sendActivity({ type: 'event', name: 'handoff.initiate' });
        });
        await adapter.send('我电话13812345678').assertReply((a) => expect(a.text).toMatch(/记下了/)).assertReply((a) => expect(a.name).toBe('handoff.initiate'));
        expect(logged).toHaveLength(1);
        expect(logged[0]?.msg).toBe('turn');
        expect(logged[0]?.transcript.outcome).toBe('ok');
        expect(logged[0]?.transcript.lines).toEqual([
            { at: expect.any(String), from: 'owner', text: '我电话138****5678' },
            { at: expect.any(String), from: 'bot', text: '好的，记下了：我电话138****5678' },
            { at: expect.any(String), from: 'bot', event: 'handoff.initiate' },
        ]);
        expect(JSON.stringify(logged)).not.toContain('13812345678');
    });

    it('still logs a turn that fails, with what was said before the failure', async () => {
        const { adapter, logged } = harness(async (context) => {
            await context.sendActivity('稍等');
            throw new Error('store down');
        });
        adapter.onTurnError = async () => undefined;
        await adapter.send('电梯坏了').assertReply('稍等');
        expect(logged[0]?.transcript.outcome).toBe('error');
        expect(logged[0]?.transcript.lines.map((l) => l.from)).toEqual(['owner', 'bot']);
    });
});
