import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../bot/paths';
import { DeskLabelsFile, loadDeskLabels } from '../../bot/desk/DeskLabels';
import { DeskRepliesFile, loadDeskReplies } from '../../bot/desk/DeskReplies';
import { SuggestedReplies, type ReplyCase } from '../../bot/handoff/SuggestedReplies';

const library = loadDeskReplies(join(PROJECT_ROOT, 'scripts', 'desk', 'replies.json'));
const replies = new SuggestedReplies(library, '400-800-1234');
const owner = (text: string) => ({ from: 'owner', text });
const emergency: ReplyCase = { persona: 'default', reason: 'emergency', ticketId: 'TS-20261206-0003', agent: '客服小王', owner: { name: '王女士', building: '3', unit: '2', room: '501' } };

describe('suggested replies fit the case', () => {
    it('an emergency gets safety lines filled with the owner, the place and the ticket, and no complaint apology or restatement', () => {
        const lines = replies.for(emergency, [owner('厨房里一股煤气味，好像漏气了')]);
        expect(lines[0]).toBe('王女士您好，我是客服小王，接下来由我为您处理。');
        expect(lines.join('\n')).toContain('值班人员正赶往3栋2单元501');
        expect(lines.join('\n')).toContain('TS-20261206-0003');
        expect(lines.join('\n')).toMatch(/燃气总阀/);
        expect(lines.join('\n')).not.toMatch(/抱歉|对不住|您是说/);
    });

    it('restates only a complaint; an owner who asked for a person is asked what happened, not told what they said', () => {
        const requested = replies.for({ ...emergency, reason: 'requested', owner: null, ticketId: null }, [owner('转人工')]);
        expect(requested.join('\n')).not.toMatch(/您是说|转人工/);
        expect(requested.join('\n')).toMatch(/具体说说/);
        const complaint = replies.for({ ...emergency, reason: 'repeated_anger', owner: null, ticketId: null }, [owner('你们保安天天在楼下抽烟，到底管不管！')]);
        expect(complaint).toContain('我确认一下：您是说我们保安天天在楼下抽烟，对吗？');
        expect(complaint.join('\n')).toMatch(/抱歉/);
    });

    it('leaves out lines it cannot fill and the greeting once the agent has spoken; speaks to an elderly owner in their register', () => {
        const lines = replies.for({ ...emergency, persona: 'elderly', owner: null, ticketId: null }, [owner('电梯卡住了'), { from: 'agent', text: '您好' }]);
        expect(lines.join('\n')).not.toMatch(/\{|接下来由我为您处理/);
        expect(lines[0]).toMatch(/别着急/);
    });

    it('the library offers every short code once, the fitting ones first, filled as far as the case allows', () => {
        const all = replies.libraryFor({ ...emergency, owner: null, ticketId: null }, []);
        expect(all).toHaveLength(library.replies.length);
        expect(new Set(all.map((r) => r.code)).size).toBe(all.length);
        expect(all[0]?.fits).toBe(true);
        expect(all.find((r) => r.code === 'qp')?.fits).toBe(false);
        expect(all.find((r) => r.code === 'gd')?.text).toContain('{ticketId}');
    });
});

describe('desk data files are checked', () => {
    it('refuses a reply library with a short code used twice or a restatement that fits every case', () => {
        const twice = DeskRepliesFile.safeParse({ ...library, replies: [...library.replies, library.replies[0]] });
        expect(twice.success).toBe(false);
        const restating = DeskRepliesFile.safeParse({ steps: [], unnamedAgent: '物业客服', replies: [{ code: 'x', title: '复述', step: 'clarify', say: { default: ['您是说{summary}？'] } }] });
        expect(restating.error?.issues[0]?.message).toMatch(/complaint reasons/);
    });

    it('refuses labels that leave a persona unnamed', () => {
        const labels = loadDeskLabels(join(PROJECT_ROOT, 'scripts', 'desk', 'labels.json'));
        const { elderly: _dropped, ...rest } = labels.personas;
        const parsed = DeskLabelsFile.safeParse({ ...labels, personas: rest });
        expect(parsed.error?.issues[0]?.message).toBe('no label for "elderly"');
    });
});
