// The trainer's page: sign in with a staff token, rehearse a scenario against the simulated owner and read the
// scorecard, and see the trainer's report — each trainee's overall score over time and the team's weakest steps —
// drawn with Chart.js (served by Linli from node_modules, the one charting library the desk will reuse). Every
// text from the server is set as textContent; the labels live in the page (#labels), not here.

interface ScenarioView {
    id: string;
    title: string;
    persona: string;
}

interface StepCard {
    step: string;
    score: number;
    evidence: string[];
    reason: string;
    model: string | null;
}

interface Scorecard {
    overall: number;
    steps: StepCard[];
    forbidden: { phrase: string; turn: number; kind: string }[];
    mood: string;
    goalMet: boolean;
    tips: string[];
}

interface RehearsalView {
    id: string;
    trainee: string;
    startedAt: string;
    finishedAt: string | null;
    scorecard: Scorecard | null;
}

/** The slice of Chart.js's UMD global this page uses. */
interface ChartInstance {
    destroy(): void;
}
type ChartConstructor = new (canvas: HTMLCanvasElement, config: unknown) => ChartInstance;
const ChartGlobal = (globalThis as unknown as { Chart?: ChartConstructor }).Chart;

const STEPS = ['listen', 'empathise', 'clarify', 'resolve', 'follow_up'];
const TOKEN_KEY = 'linli.trainer.token';
/** Below this a step is weak (the scorer's threshold, scripts/rehearsal/cues.json). */
const WEAK_BELOW = 60;

const labels = new Map<string, string>();
document.querySelectorAll('#labels dt').forEach((dt) => {
    const dd = dt.nextElementSibling;
    if (dt.textContent && dd?.textContent) labels.set(dt.textContent, dd.textContent);
});
const label = (key: string): string => labels.get(key) ?? key;

function byId<T extends HTMLElement>(id: string): T {
    const el = document.getElementById(id);
    if (!el) throw new Error(`missing #${id}`);
    return el as T;
}

let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
let current: string | null = null;
const charts: ChartInstance[] = [];

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as T;
    return { status: res.status, json };
}

function element(tag: string, text?: string, className?: string): HTMLElement {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    return el;
}

function say(role: 'owner' | 'trainee', text: string, mood?: string): void {
    const li = element('li', undefined, role);
    li.dataset.role = role;
    li.append(element('strong', `${label(role)}：`), element('span', text));
    if (mood) li.append(element('span', label(mood), 'mood'));
    byId('dialogue').append(li);
    li.scrollIntoView({ block: 'nearest' });
}

async function signIn(candidate: string): Promise<boolean> {
    token = candidate;
    const me = await api<{ name?: string }>('GET', '/api/staff/me');
    if (me.status !== 200 || !me.json.name) {
        byId('sign-in-error').textContent = label('badToken');
        return false;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    byId('who').textContent = me.json.name;
    byId('sign-in').hidden = true;
    byId('trainer').hidden = false;
    await loadScenarios();
    await loadReport();
    return true;
}

async function loadScenarios(): Promise<void> {
    const { json } = await api<ScenarioView[]>('GET', '/api/rehearsals/scenarios');
    const select = byId<HTMLSelectElement>('scenario');
    select.replaceChildren();
    for (const s of json) {
        const option = element('option', s.title) as HTMLOptionElement;
        option.value = s.id;
        select.append(option);
    }
}

async function start(): Promise<void> {
    const persona = byId<HTMLSelectElement>('persona').value;
    const body = { scenario: byId<HTMLSelectElement>('scenario').value, ...(persona ? { persona } : {}) };
    const { status, json } = await api<{ id: string; owner: { text: string; mood: string }; reason?: string }>('POST', '/api/rehearsals', body);
    if (status !== 201) {
        byId('practice-error').textContent = json.reason ?? String(status);
        return;
    }
    current = json.id;
    byId('dialogue').replaceChildren();
    byId('card').hidden = true;
    byId('practice-error').textContent = '';
    byId('turn-form').hidden = false;
    say('owner', json.owner.text, json.owner.mood);
}

async function send(): Promise<void> {
    const reply = byId<HTMLTextAreaElement>('reply');
    const text = reply.value.trim();
    if (!current || !text) return;
    reply.value = '';
    say('trainee', text);
    const { status, json } = await api<{ owner: { text: string; mood: string } | null; ended: boolean; reason?: string }>('POST', `/api/rehearsals/${encodeURIComponent(current)}/turns`, { text });
    if (status !== 200) {
        byId('practice-error').textContent = json.reason ?? String(status);
        return;
    }
    if (json.owner) say('owner', json.owner.text, json.owner.mood);
    if (json.ended) byId('practice-error').textContent = label('ended');
}

async function finish(): Promise<void> {
    if (!current) return;
    const { status, json } = await api<Scorecard & { reason?: string }>('POST', `/api/rehearsals/${encodeURIComponent(current)}/finish`);
    if (status !== 200) {
        byId('practice-error').textContent = json.reason ?? String(status);
        return;
    }
    byId('turn-form').hidden = true;
    showCard(json);
    await loadReport();
}

function showCard(card: Scorecard): void {
    byId('overall').textContent = String(card.overall);
    byId('card-mood').textContent = label(card.mood);
    byId('card-goal').textContent = label(card.goalMet ? 'yes' : 'no');
    const rows = card.steps.map((s) => {
        const tr = element('tr', undefined, s.score < WEAK_BELOW ? 'weak' : undefined);
        tr.dataset.step = s.step;
        const evidence = element('td');
        // "missing" is the card's word for no evidence; real quotes are the trainee's own words.
        for (const quote of s.evidence) evidence.append(quote === 'missing' ? element('span', label('none'), 'muted') : element('q', quote), document.createElement('br'));
        tr.append(element('td', label(s.step)), element('td', String(s.score)), evidence, element('td', s.reason), element('td', s.model ?? ''));
        return tr;
    });
    byId('card-steps').replaceChildren(...rows);
    const forbidden = card.forbidden.map((f) => element('li', `${label(f.kind)} · ${label('turn')} ${f.turn + 1}：${f.phrase}`));
    byId('card-forbidden').replaceChildren(...(forbidden.length > 0 ? forbidden : [element('li', label('none'))]));
    byId('card-tips').replaceChildren(...card.tips.map((t) => element('li', t)));
    byId('card').hidden = false;
}

async function loadReport(): Promise<void> {
    const { json } = await api<{ rehearsals: RehearsalView[] }>('GET', '/api/rehearsals');
    const done = (json.rehearsals ?? []).filter((r) => r.scorecard !== null).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    byId('report-empty').hidden = done.length > 0;
    const trainees = [...new Set(done.map((r) => r.trainee))].sort();
    const rows = trainees.map((name) => {
        const mine = done.filter((r) => r.trainee === name);
        const last = mine.at(-1)?.scorecard;
        const weakest = STEPS.map((step) => ({ step, avg: average(mine.map((r) => stepScore(r, step))) })).sort((a, b) => a.avg - b.avg)[0];
        const tr = element('tr');
        tr.dataset.trainee = name;
        tr.append(element('td', name), element('td', String(mine.length)), element('td', String(last?.overall ?? '')), element('td', weakest ? label(weakest.step) : ''));
        return tr;
    });
    byId('trainees').replaceChildren(...rows);
    drawCharts(done, trainees);
}

function stepScore(r: RehearsalView, step: string): number {
    return r.scorecard?.steps.find((s) => s.step === step)?.score ?? 0;
}

function average(values: number[]): number {
    return values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

function drawCharts(done: RehearsalView[], trainees: string[]): void {
    if (!ChartGlobal) return;
    for (const chart of charts.splice(0)) chart.destroy();
    const palette = ['#1d4e89', '#d64545', '#3f9142', '#c77d00', '#7a4fb3', '#00838f'];
    charts.push(
        new ChartGlobal(byId<HTMLCanvasElement>('progress-chart'), {
            type: 'line',
            data: {
                labels: done.map((_, i) => String(i + 1)),
                datasets: trainees.map((name, i) => ({
                    label: name,
                    borderColor: palette[i % palette.length],
                    data: done.map((r) => (r.trainee === name ? r.scorecard?.overall ?? null : null)),
                    spanGaps: true,
                })),
            },
            options: { animation: false, responsive: false, scales: { y: { min: 0, max: 100 } } },
        }),
    );
    const team = STEPS.map((step) => ({ step, avg: average(done.map((r) => stepScore(r, step))) })).sort((a, b) => a.avg - b.avg);
    charts.push(
        new ChartGlobal(byId<HTMLCanvasElement>('steps-chart'), {
            type: 'bar',
            data: { labels: team.map((t) => label(t.step)), datasets: [{ label: label('average'), data: team.map((t) => t.avg), backgroundColor: team.map((t) => (t.avg < WEAK_BELOW ? '#d64545' : '#1d4e89')) }] },
            options: { animation: false, responsive: false, scales: { y: { min: 0, max: 100 } } },
        }),
    );
    byId('steps-chart').dataset.order = team.map((t) => t.step).join(',');
}

byId('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn(byId<HTMLInputElement>('token').value.trim());
});
byId('start-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void start();
});
byId('turn-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
});
byId('finish').addEventListener('click', () => void finish());
if (token) void signIn(token);

// A module of its own: nothing here is shared with the agent console.
export {};
