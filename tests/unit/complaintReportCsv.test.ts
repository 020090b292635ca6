import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteTicketStore } from '../../adapters/tickets/SqliteTicketStore';
import { ComplaintReportCsv } from '../../bot/tickets/ComplaintReportCsv';
import { ComplaintReporter } from '../../bot/tickets/ComplaintReporter';
import { TicketService } from '../../bot/tickets/TicketService';
import { WorkingCalendar } from '../../bot/tickets/WorkingCalendar';
import { KNOWLEDGE_DIR } from '../helpers/knowledge';

const calendar = WorkingCalendar.fromFile(join(KNOWLEDGE_DIR, 'calendar.json'));

describe('the monthly report as CSV', () => {
    it('labels each figure in Chinese under its JSON key, quoting owners’ words that hold commas, quotes and line breaks', async () => {
        const report = await new ComplaintReporter(new TicketService(new SqliteTicketStore(':memory:'), calendar), calendar).month('2026-11');
        report.knowledgeGaps = {
            total: 2,
            byKind: { unsure: 1, out_of_scope: 1 },
            groups: [
                {
                    entryId: null,
                    entryTitle: null,
                    term: '股市',
                    count: 2,
                    byKind: { unsure: 1, out_of_scope: 1 },
                    terms: [{ term: '股市', count: 2 }],
                    examples: ['=HYPERLINK("http://x","点我")', '股市,涨了吗\n"真的"'],
                },
            ],
        };
        const csv = ComplaintReportCsv.fromFile(join(KNOWLEDGE_DIR, 'report-labels.json')).render(report);
        expect(csv.startsWith('\uFEFF指标,键,数值,说明\r\n月份,month,2026-11,\r\n')).toBe(true);
        expect(csv).toContain('\r\n合计,total,0,\r\n');
        expect(csv).toContain('投诉按类别 · 设施设备,byCategory.facility,0,');
        expect(csv).toContain('转人工原因');
        // A median without values is an empty cell, not "null".
        expect(csv).toContain('首次响应（分钟） · 中位数,firstResponseMinutes.median,,');
        const gapRow = csv.split('\r\n').find((line) => line.includes('knowledgeGaps.groups.0.count'));
        expect(gapRow).toBe(`知识缺口 · 无相近条目 · 关键词：股市,knowledgeGaps.groups.0.count,2,"高频词：股市(2)；示例：=HYPERLINK(""http://x"",""点我"") | 股市,涨了吗\n""真的"""`);
        // A cell that begins like a formula is kept as text.
        expect(new ComplaintReportCsv({ total: '=1+1' }).render(report)).toContain("\r\n'=1+1,total,0,\r\n");
    });
});
