// The supervisor's board: sign in with a staff token and watch GET /api/supervisor, refreshed every few seconds —
// the queue by priority with each owner's wait, the agents and how many conversations each holds, and the SLA
// deadlines missed today. Every text from the server is set as textContent; the labels live in the page (#labels).

import { api, byId, element, label, signInThen } from '../reports/staffPage.js';

interface Snapshot {
    at: string;
    utcOffsetMinutes: number;
    queue: {
        total: number;
        countsByPriority: Record<string, number>;
        oldestWaitMinutes: number | null;
        handoffs: { conversationId: string; channelId: string; priority: number; reason: string; since: string; waitMinutes: number; ticketId: string | null }[];
    };
    active: { total: number };
    agents: { name: string; displayName: string; status: 'online' | 'away' | 'offline' | null; lastSeenAt: string | null; capacity: number | null; active: number; acceptedToday: number }[];
    breachesToday: { total: number; tickets: { id: string; kind: string; category: string; status: string; breach: string; dueAt: string }[] };
}

interface ChartInstance {
    destroy(): void;
}
type ChartConstructor = new (canvas: HTMLCanvasElement, config: unknown) => ChartInstance;
const ChartGlobal = (globalThis as unknown as { Chart?: ChartConstructor }).Chart;

/** How often the board asks again: waits are counted in minutes, so a few seconds is current enough. */
const REFRESH_MS = 10_000;
/** Priorities up to this one are urgent (danger, harm): their rows stand out. */
const URGENT = 2;

let chart: ChartInstance | null = null;
let timer: number | undefined;

async function refresh(): Promise<void> {
    window.clearTimeout(timer);
    try {
        const res = await api('/api/supervisor');
        if (res.status === 200) render((await res.json()) as Snapshot);
        byId('board-error').textContent = res.status === 403 ? label('forbidden') : '';
    } finally {
        timer = window.setTimeout(() => void refresh(), REFRESH_MS);
    }
}

/** The estate's clock, from the snapshot: a supervisor abroad or a browser on UTC still reads Beijing time. */
let utcOffsetMinutes = 0;
const localTime = (iso: string) => new Date(Date.parse(iso) + utcOffsetMinutes * 60_000).toLocaleString('zh-CN', { hour12: false, timeZone: 'UTC' });

function render(s: Snapshot): void {
    utcOffsetMinutes = s.utcOffsetMinutes;
    const cards: [string, string, number | null, boolean][] = [
        ['queued', 'queue.total', s.queue.total, false],
        ['oldest', 'queue.oldestWaitMinutes', s.queue.oldestWaitMinutes, false],
        ['active', 'active.total', s.active.total, false],
        ['agents', 'agents.online', s.agents.filter((a) => a.status === 'online').length, false],
        ['breaches', 'breachesToday.total', s.breachesToday.total, s.breachesToday.total > 0],
    ];
    byId('summary').replaceChildren(
        ...cards.map(([name, key, value, alert]) => {
            const card = element('div', undefined, alert ? 'card alert' : 'card');
            const v = element('span', value === null ? '—' : String(value), 'value');
            v.dataset.key = key;
            card.append(v, element('span', label(name), 'name'));
            return card;
        }),
    );
    byId('queue-empty').hidden = s.queue.handoffs.length > 0;
    byId('queue').replaceChildren(
        ...s.queue.handoffs.map((h) => {
            const tr = element('tr', undefined, h.priority <= URGENT ? 'urgent' : undefined);
            tr.dataset.conversation = h.conversationId;
            tr.append(element('td', String(h.priority)), element('td', label(h.reason)), element('td', label(h.channelId)), element('td', String(h.waitMinutes), 'num'), element('td', h.ticketId ?? ''));
            return tr;
        }),
    );
    byId('agents-empty').hidden = s.agents.length > 0;
    byId('agents').replaceChildren(
        ...s.agents.map((a) => {
            const tr = element('tr');
            tr.dataset.agent = a.name;
            tr.dataset.status = a.status ?? 'unknown';
            // Full (or over) capacity stands out: the queue waits for someone else.
            if (a.capacity !== null && a.active >= a.capacity) tr.className = 'urgent';
            tr.append(
                element('td', a.displayName === a.name ? a.name : `${a.displayName}（${a.name}）`),
                element('td', label(a.status ?? 'unknown')),
                element('td', a.capacity === null ? String(a.active) : `${a.active} / ${a.capacity}`, 'num'),
                element('td', String(a.acceptedToday), 'num'),
                element('td', a.lastSeenAt ? localTime(a.lastSeenAt) : '—'),
            );
            return tr;
        }),
    );
    byId('breaches-empty').hidden = s.breachesToday.tickets.length > 0;
    byId('breaches').replaceChildren(
        ...s.breachesToday.tickets.map((b) => {
            const tr = element('tr');
            tr.dataset.ticket = b.id;
            tr.append(
                element('td', b.id),
                element('td', label(b.kind === 'emergency' ? 'emergency_kind' : b.kind)),
                element('td', label(b.category === 'emergency' ? 'emergency_kind' : b.category)),
                element('td', label(b.status)),
                element('td', label(b.breach)),
                element('td', localTime(b.dueAt)),
            );
            return tr;
        }),
    );
    byId('updated').textContent = `${label('updated')} ${localTime(s.at)}`;
    const priorities = ['1', '2', '3', '4', '5'];
    const values = priorities.map((p) => s.queue.countsByPriority[p] ?? 0);
    const canvas = byId<HTMLCanvasElement>('priority-chart');
    canvas.dataset.values = values.join(',');
    if (!ChartGlobal) return;
    chart?.destroy();
    chart = new ChartGlobal(canvas, {
        type: 'bar',
        data: { labels: priorities.map((p) => `${label('priority')} ${p}`), datasets: [{ label: label('count'), data: values, backgroundColor: ['#b42318', '#d64545', '#1d4e89', '#1d4e89', '#1d4e89'] }] },
        options: { animation: false, responsive: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
}

signInThen('board', refresh);
