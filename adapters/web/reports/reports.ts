// The monthly complaint report as a page: sign in with a staff token, pick a month, read every figure of
// GET /api/reports/complaints (each cell carries the figure's key in the JSON, data-key) with charts drawn by Chart.js
// (served by Linli from node_modules), and export the same figures as CSV. Every text from the server is set as
// textContent; the labels live in the page (#labels), not here.

import { api, byId, element, label, signInThen } from './staffPage.js';

type Figures = Record<string, unknown>;

interface GapGroup {
    entryId: string | null;
    entryTitle: string | null;
    term: string | null;
    count: number;
    terms: { term: string; count: number }[];
    examples: string[];
}

interface ChartInstance {
    destroy(): void;
}
type ChartConstructor = new (canvas: HTMLCanvasElement, config: unknown) => ChartInstance;
const ChartGlobal = (globalThis as unknown as { Chart?: ChartConstructor }).Chart;

const CATEGORIES = ['facility', 'service', 'fee', 'emergency'];
const STATUSES = ['received', 'in_progress', 'replied', 'revisited', 'closed'];
const REASONS = ['emergency', 'requested', 'legal_threat', 'abuse', 'safety', 'repeated_anger', 'not_understood', 'unresolved'];
const PALETTE = ['#1d4e89', '#d64545', '#3f9142', '#c77d00', '#7a4fb3', '#00838f', '#8d6e63', '#546e7a'];

/** Status and reason words that share a key with another label. */
const statusLabel = (s: string) => label(s === 'replied' ? 'replied_status' : s);
const reasonLabel = (r: string) => label(r === 'emergency' ? 'emergency_reason' : r);

let figures: Figures | null = null;
const charts: ChartInstance[] = [];

/** The figure at a dotted key of the report ("conversations.handoffReasons.abuse"). */
function at(key: string): unknown {
    return key.split('.').reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), figures);
}

/** How a figure is shown: numbers as they are, no value as a dash. */
function shown(value: unknown): string {
    return typeof value === 'number' ? String(value) : '—';
}

/** A cell holding one figure, tagged with its key so it can be traced to the API. */
function figure(tag: 'td' | 'span', key: string): HTMLElement {
    const el = element(tag, shown(at(key)), tag === 'td' ? 'num' : 'value');
    el.dataset.key = key;
    return el;
}

function rows(target: string, items: [string, string][]): void {
    byId(target).replaceChildren(
        ...items.map(([name, key]) => {
            const tr = element('tr');
            tr.append(element('th', name), figure('td', key));
            return tr;
        }),
    );
}

/** Signed in: the month asked for in the address (or this one), read at once. */
async function opened(): Promise<void> {
    const month = byId<HTMLInputElement>('month');
    const asked = new URLSearchParams(location.search).get('month');
    if (!month.value) month.value = asked ?? new Date().toISOString().slice(0, 7);
    await load(month.value);
}

async function load(month: string): Promise<void> {
    const res = await api(`/api/reports/complaints?month=${encodeURIComponent(month)}`);
    const body = (await res.json().catch(() => ({}))) as Figures & { reason?: string };
    if (res.status !== 200) {
        byId('report-error').textContent = res.status === 403 ? label('forbidden') : typeof body.reason === 'string' ? body.reason : String(res.status);
        return;
    }
    byId('report-error').textContent = '';
    figures = body;
    render();
    byId('shown-month').textContent = String(body.month);
    document.body.dataset.month = String(body.month);
}

function render(): void {
    const cards: [string, string, boolean?][] = [
        [label('total'), 'total'],
        [label('tickets'), 'slaBreaches.tickets', true],
        [label('firstResponse'), 'firstResponseMinutes.median'],
        [label('replyHours'), 'replyHours.median'],
        [label('closeHours'), 'closeHours.median'],
        [label('satisfactionAverage'), 'satisfaction.average'],
        [label('conversations'), 'conversations.total'],
        [label('gapTotal'), 'knowledgeGaps.total'],
    ];
    byId('overview').replaceChildren(
        ...cards.map(([name, key, alert]) => {
            const card = element('div', undefined, alert && Number(at(key)) > 0 ? 'card alert' : 'card');
            card.append(figure('span', key), element('span', name, 'name'));
            return card;
        }),
    );

    const head = element('tr');
    head.append(element('th', ''), ...STATUSES.map((s) => element('th', statusLabel(s), 'num')), element('th', label('sum'), 'num'));
    byId('category-status-head').replaceChildren(head);
    const body = CATEGORIES.map((c) => {
        const tr = element('tr');
        tr.append(element('th', label(c)), ...STATUSES.map((s) => figure('td', `byCategoryAndStatus.${c}.${s}`)), figure('td', `byCategory.${c}`));
        return tr;
    });
    const totals = element('tr');
    totals.append(element('th', label('sum')), ...STATUSES.map((s) => figure('td', `byStatus.${s}`)), figure('td', 'total'));
    byId('category-status').replaceChildren(...body, totals);

    rows('times', [
        [label('firstResponse'), 'firstResponseMinutes.median'],
        [label('firstResponseCount'), 'firstResponseMinutes.answered'],
        [label('replyHours'), 'replyHours.median'],
        [label('replied'), 'replyHours.replied'],
        [label('closeHours'), 'closeHours.median'],
        [label('closedCount'), 'closeHours.closed'],
        [label('response'), 'slaBreaches.response'],
        [label('feedback'), 'slaBreaches.feedback'],
        [label('reply'), 'slaBreaches.reply'],
        [label('tickets'), 'slaBreaches.tickets'],
    ]);
    rows('satisfaction', [
        [label('satisfactionAverage'), 'satisfaction.average'],
        [label('satisfactionResponses'), 'satisfaction.responses'],
        ...['1', '2', '3', '4', '5'].map((s): [string, string] => [`${s} ${label('score')}`, `satisfactionScores.${s}`]),
    ]);
    rows('conversations', [
        [label('conversations'), 'conversations.total'],
        [label('botReply'), 'conversations.firstBotReplySeconds.median'],
        [label('botReplied'), 'conversations.firstBotReplySeconds.answered'],
        [label('handedOff'), 'conversations.handedOff'],
        [label('humanReply'), 'conversations.humanReplyMinutes.median'],
        [label('humanReplied'), 'conversations.humanReplyMinutes.answered'],
        [label('resolved'), 'conversations.resolved'],
        [label('reopens'), 'conversations.reopens'],
        [label('conversationSatisfaction'), 'conversations.satisfaction.average'],
        [label('conversationRatings'), 'conversations.satisfaction.responses'],
    ]);
    rows('reasons', REASONS.map((r): [string, string] => [reasonLabel(r), `conversations.handoffReasons.${r}`]));
    rows('callbacks', [[label('callbacks'), 'callbacks'], ...STATUSES.map((s): [string, string] => [statusLabel(s), `callbackTickets.byStatus.${s}`])]);
    rows('gap-totals', [
        [label('gapTotal'), 'knowledgeGaps.total'],
        [label('unsure'), 'knowledgeGaps.byKind.unsure'],
        [label('out_of_scope'), 'knowledgeGaps.byKind.out_of_scope'],
    ]);

    const groups = (at('knowledgeGaps.groups') as GapGroup[] | undefined) ?? [];
    byId('gaps-empty').hidden = groups.length > 0;
    byId('gaps').replaceChildren(
        ...groups.map((g, i) => {
            const tr = element('tr');
            tr.dataset.entry = g.entryId ?? '';
            const examples = element('td');
            for (const text of g.examples) examples.append(element('q', text), document.createElement('br'));
            tr.append(
                element('td', g.entryTitle ?? `${label('noEntry')}${g.term ?? ''}`),
                figure('td', `knowledgeGaps.groups.${i}.count`),
                element('td', g.terms.map((t) => `${t.term}（${t.count}）`).join('、')),
                examples,
            );
            return tr;
        }),
    );
    drawCharts();
}

function drawCharts(): void {
    if (!ChartGlobal) return;
    for (const chart of charts.splice(0)) chart.destroy();
    const options = { animation: false, responsive: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } };
    const bar = (id: string, names: string[], values: number[], color: string | string[]) => {
        const canvas = byId<HTMLCanvasElement>(id);
        charts.push(new ChartGlobal(canvas, { type: 'bar', data: { labels: names, datasets: [{ label: label('count'), data: values, backgroundColor: color }] }, options }));
        canvas.dataset.values = values.join(',');
    };
    const num = (key: string) => Number(at(key) ?? 0);
    bar('category-chart', CATEGORIES.map(label), CATEGORIES.map((c) => num(`byCategory.${c}`)), PALETTE);
    const statusCanvas = byId<HTMLCanvasElement>('status-chart');
    const statusValues = STATUSES.map((s) => num(`byStatus.${s}`));
    charts.push(
        new ChartGlobal(statusCanvas, {
            type: 'doughnut',
            data: { labels: STATUSES.map(statusLabel), datasets: [{ data: statusValues, backgroundColor: PALETTE }] },
            options: { animation: false, responsive: false, plugins: { legend: { position: 'right' } } },
        }),
    );
    statusCanvas.dataset.values = statusValues.join(',');
    bar('satisfaction-chart', ['1', '2', '3', '4', '5'].map((s) => `${s} ${label('score')}`), ['1', '2', '3', '4', '5'].map((s) => num(`satisfactionScores.${s}`)), '#3f9142');
    bar('reasons-chart', REASONS.map(reasonLabel), REASONS.map((r) => num(`conversations.handoffReasons.${r}`)), '#c77d00');
}

async function exportCsv(): Promise<void> {
    const month = byId<HTMLInputElement>('month').value;
    const res = await api(`/api/reports/complaints.csv?month=${encodeURIComponent(month)}`);
    if (res.status !== 200) {
        byId('report-error').textContent = String(res.status);
        return;
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await res.blob());
    link.download = `complaints-${month}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

byId('month-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void load(byId<HTMLInputElement>('month').value);
});
byId('export').addEventListener('click', () => void exportCsv());
signInThen('report', opened);
