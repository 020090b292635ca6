import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import type { ComplaintReport } from './ComplaintReporter';

export const ReportLabelsFile = z.object({ reason: z.string().min(1), labels: z.record(z.string(), z.string().min(1)) });

/** Excel reads a CSV as UTF-8 only with the byte-order mark. */
const BOM = '\uFEFF';

/**
 * The monthly report as CSV, one figure a row: its words (knowledge/report-labels.json), its key in the JSON report
 * (so a figure can be traced to the API), its value, and for the knowledge gaps their top terms and examples.
 */
export class ComplaintReportCsv {
    constructor(private readonly labels: Record<string, string>) {}

    static fromFile(file: string): ComplaintReportCsv {
        return new ComplaintReportCsv(loadDataFile(file, ReportLabelsFile).labels);
    }

    render(report: ComplaintReport): string {
        const header = ['csvFigure', 'csvKey', 'csvValue', 'csvDetail'].map((key) => this.label(key));
        const rows: string[][] = [header, [this.label('month'), 'month', report.month, '']];
        const { knowledgeGaps, month: _month, ...figures } = report;
        this.walk(figures, [], rows);
        this.walk({ total: knowledgeGaps.total, byKind: knowledgeGaps.byKind }, ['knowledgeGaps'], rows);
        knowledgeGaps.groups.forEach((group, i) => {
            const near = group.entryTitle ? `${this.label('nearest')}：${group.entryTitle}` : `${this.label('none')} · ${this.label('word')}：${group.term ?? ''}`;
            const detail = `${this.label('terms')}：${group.terms.map((t) => `${t.term}(${t.count})`).join(' ')}；${this.label('examples')}：${group.examples.join(' | ')}`;
            rows.push([`${this.label('knowledgeGaps')} · ${near}`, `knowledgeGaps.groups.${i}.count`, String(group.count), detail]);
        });
        return BOM + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
    }

    private walk(value: unknown, path: string[], rows: string[][]): void {
        if (value === null || typeof value === 'number') {
            rows.push([path.map((p) => this.label(p)).join(' · '), path.join('.'), value === null ? '' : String(value), '']);
            return;
        }
        if (typeof value === 'object') for (const [key, inner] of Object.entries(value)) this.walk(inner, [...path, key], rows);
    }

    private label(key: string): string {
        return this.labels[key] ?? key;
    }
}

/**
 * One CSV cell: quoted when it holds a separator, quote or line break; a cell an owner's words begin with = + - @
 * (a spreadsheet would run it as a formula) is kept as text with a leading apostrophe.
 */
function cell(text: string): string {
    const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
