// The agent console: sign in with a staff token, watch the handoff queue live, open a conversation (transcript and
// ticket), accept it, answer with the help of the scripts' suggested replies, move the ticket along, release it.
// Everything goes through the agent API with the token as a bearer header; owner text is only ever set as
// textContent, never parsed as HTML.

interface Entry {
    at: string;
    from: 'owner' | 'bot' | 'agent' | 'system';
    agent?: string;
    text?: string;
    event?: string;
}

interface HandoffView {
    conversationId: string;
    status: 'queued' | 'active' | 'closed';
    reason: string;
    priority: number;
    since: string;
    waitingSeconds: number;
    persona: string;
    emotion: string;
    agent: string | null;
    ticketId: string | null;
    summary: string;
}

/** One page of GET /api/handoffs: queue order, priority 1 and 2 first. */
interface QueuePage {
    handoffs: HandoffView[];
    total: number;
    countsByPriority: Record<string, number>;
    nextCursor: string | null;
}

interface Ticket {
    id: string;
    status: string;
    kind: string;
    category: string;
    description: string;
    location: string | null;
    request: string | null;
    contact: { name?: string; phone?: string };
    sla: { responseDueAt: string; feedbackDueAt: string };
}

const REASONS: Record<string, string> = {
    emergency: '紧急情况',
    requested: '要求人工',
    legal_threat: '投诉升级/法律',
    abuse: '情绪激烈',
    safety: '人身安全',
    repeated_anger: '持续不满',
    not_understood: '机器人未理解',
    unresolved: '答复未解决',
};
const PERSONAS: Record<string, string> = { elderly: '老年业主', young: '年轻业主', default: '业主' };
const EMOTIONS: Record<string, string> = { calm: '平静', upset: '着急', angry: '生气' };
const STATUSES: Record<string, string> = { queued: '等待接入', active: '人工处理中', closed: '已结束' };
const SPEAKERS: Record<Entry['from'], string> = { owner: '业主', bot: '小邻', agent: '坐席', system: '' };
const EVENTS: Record<string, string> = {
    'handoff.queued': '转入人工队列',
    'handoff.accepted': '坐席接入',
    'handoff.released': '交还机器人',
    'handoff.timed_out': '无人接入，已登记回电工单',
    'handoff.initiate': '机器人发起转人工',
    'handoff.status': '转人工状态变化',
    'ticket.updated': '工单更新',
};
/** Owner lines that stand for words not kept (a message refused as too long is neither processed nor stored). */
const OWNER_MARKERS: Record<string, string> = { 'message.too_long': '（发来一条过长的消息，未处理，内容未保存）' };
const TOKEN_KEY = 'linli.agentToken';

const $ = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`#${id} missing`);
    return element as T;
};

let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
let me = '';
let openId: string | null = null;
let openHandoff: HandoffView | null = null;
let openTicket: Ticket | null = null;
let feedAbort: AbortController | null = null;
/** The queued handoffs loaded so far (first page, plus any the agent asked for with "more"), in the server's order. */
let queued: HandoffView[] = [];
let queuedCursor: string | null = null;
/** Rows a refresh reloads: the first page, or as many as the agent has loaded. */
const QUEUE_PAGE = 50;
/** The server's page limit (contract: at most 200), for reading the agent's own active conversations in one call. */
const MAX_PAGE = 200;
/** The agent picked a ticket status and has not saved it: a background refresh must not undo the choice. */
let ticketChoicePending = false;
/**
 * Lines of the open conversation that came over the live feed. A transcript read from the server can be older than
 * them (the server stores a turn's lines when the turn ends), so they are kept until a read includes them.
 */
let liveEntries: Entry[] = [];

const lineKey = (e: Entry): string => `${e.from}|${e.agent ?? ''}|${e.text ?? ''}`;

/** The server's transcript, plus the live lines it does not have yet (matched line for line, not by time). */
function withLiveEntries(stored: Entry[]): Entry[] {
    const unmatched = new Map<string, number>();
    for (const e of stored) unmatched.set(lineKey(e), (unmatched.get(lineKey(e)) ?? 0) + 1);
    liveEntries = liveEntries.filter((e) => {
        const n = unmatched.get(lineKey(e)) ?? 0;
        if (n === 0) return true;
        unmatched.set(lineKey(e), n - 1);
        return false;
    });
    return [...stored, ...liveEntries];
}

class ApiError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
    }
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as T & { reason?: string };
    if (!res.ok) throw new ApiError(res.status, json.reason ?? `HTTP ${res.status}`);
    return json;
}

function waited(seconds: number): string {
    if (seconds < 60) return `${seconds}秒`;
    const minutes = Math.floor(seconds / 60);
    return minutes < 60 ? `${minutes}分钟` : `${Math.floor(minutes / 60)}小时${minutes % 60}分`;
}

function cell(row: HTMLTableRowElement, text: string, className = ''): void {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
}

/** Reads queued handoffs page by page from the start until `wanted` are loaded or the queue ends. */
async function loadQueued(wanted: number): Promise<QueuePage> {
    let page = await api<QueuePage>('GET', `/api/handoffs?status=queued&limit=${Math.min(MAX_PAGE, Math.max(QUEUE_PAGE, wanted))}`);
    const rows = [...page.handoffs];
    while (rows.length < wanted && page.nextCursor) {
        page = await api<QueuePage>('GET', `/api/handoffs?status=queued&limit=${Math.min(MAX_PAGE, wanted - rows.length)}&cursor=${encodeURIComponent(page.nextCursor)}`);
        rows.push(...page.handoffs);
    }
    return { ...page, handoffs: rows };
}

async function refreshQueue(): Promise<void> {
    const [queue, active] = await Promise.all([loadQueued(queued.length), api<QueuePage>('GET', `/api/handoffs?status=active&limit=${MAX_PAGE}`)]);
    queued = queue.handoffs;
    queuedCursor = queue.nextCursor;
    renderQueue(queue, active.handoffs.filter((h) => h.agent === me));
}

async function loadMoreQueued(): Promise<void> {
    if (!queuedCursor) return;
    const [next, active] = await Promise.all([
        api<QueuePage>('GET', `/api/handoffs?status=queued&limit=${QUEUE_PAGE}&cursor=${encodeURIComponent(queuedCursor)}`),
        api<QueuePage>('GET', `/api/handoffs?status=active&limit=${MAX_PAGE}`),
    ]);
    queued = [...queued, ...next.handoffs];
    queuedCursor = next.nextCursor;
    renderQueue({ ...next, handoffs: queued }, active.handoffs.filter((h) => h.agent === me));
}

/** The agent's own active conversations first, then the queue in the server's order (urgent first, then oldest). */
function renderQueue(queue: QueuePage, mine: HandoffView[]): void {
    const rows = [...mine, ...queue.handoffs];
    const body = $<HTMLTableSectionElement>('queue');
    body.replaceChildren();
    for (const h of rows) {
        const row = body.insertRow();
        row.dataset.conversationId = h.conversationId;
        row.dataset.testid = 'queue-row';
        if (h.conversationId === openId) row.className = 'open';
        cell(row, `P${h.priority}`, h.priority === 1 ? 'p1' : h.priority === 2 ? 'p2' : '');
        cell(row, REASONS[h.reason] ?? h.reason);
        cell(row, waited(h.waitingSeconds));
        cell(row, PERSONAS[h.persona] ?? h.persona);
        cell(row, EMOTIONS[h.emotion] ?? h.emotion);
        cell(row, h.status === 'active' ? `${STATUSES.active}（${h.agent ?? ''}）` : (STATUSES[h.status] ?? h.status));
        row.addEventListener('click', () => void openConversation(h.conversationId));
    }
    $('queue-empty').hidden = rows.length > 0;
    const urgent = (queue.countsByPriority['1'] ?? 0) + (queue.countsByPriority['2'] ?? 0);
    $('queue-summary').textContent =
        queue.total > 0 ? `等待接入共 ${queue.total} 个（紧急 P1/P2：${urgent} 个），已显示 ${queue.handoffs.length} 个` : '';
    $('queue-more').hidden = !queue.nextCursor;
}

function renderEntry(entry: Entry): HTMLLIElement {
    const li = document.createElement('li');
    li.className = entry.from;
    li.dataset.from = entry.from;
    const who = entry.from === 'agent' ? `${SPEAKERS.agent} ${entry.agent ?? ''}` : SPEAKERS[entry.from];
    const what = entry.text ?? OWNER_MARKERS[entry.event ?? ''] ?? entry.event ?? '';
    const event = EVENTS[entry.event ?? ''] ?? entry.event ?? '';
    const detail = entry.text ? `：${REASONS[entry.text] ?? entry.text}` : '';
    li.textContent = entry.from === 'system' ? `— ${event}${detail}${entry.agent ? `（${entry.agent}）` : ''} —` : `${who}：${what}`;
    return li;
}

function renderTranscript(entries: Entry[]): void {
    const list = $<HTMLOListElement>('transcript');
    list.replaceChildren(...entries.filter((e) => e.text || e.from === 'system' || (e.from === 'owner' && OWNER_MARKERS[e.event ?? ''])).map(renderEntry));
    list.scrollTop = list.scrollHeight;
}

function renderSuggestions(suggestions: string[]): void {
    const box = $('suggestions');
    box.replaceChildren(
        ...suggestions.map((text) => {
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = text;
            button.dataset.testid = 'suggestion';
            button.addEventListener('click', () => {
                $<HTMLTextAreaElement>('reply').value = text;
            });
            return button;
        }),
    );
}

function renderTicket(ticket: Ticket | null): void {
    $('ticket').hidden = !ticket;
    if (!ticket) return;
    $('ticket-id').textContent = ticket.id;
    const fields: [string, string][] = [
        ['类型', `${ticket.kind} / ${ticket.category}`],
        ['内容', ticket.description],
        ['位置', ticket.location ?? '—'],
        ['诉求', ticket.request ?? '—'],
        ['联系人', [ticket.contact.name, ticket.contact.phone].filter(Boolean).join(' ') || '—'],
        ['响应时限', new Date(ticket.sla.responseDueAt).toLocaleString('zh-CN')],
        ['反馈时限', new Date(ticket.sla.feedbackDueAt).toLocaleString('zh-CN')],
    ];
    $('ticket-fields').replaceChildren(
        ...fields.flatMap(([name, value]) => {
            const dt = document.createElement('dt');
            dt.textContent = name;
            const dd = document.createElement('dd');
            dd.textContent = value;
            return [dt, dd];
        }),
    );
    if (!ticketChoicePending || ticket.id !== openTicket?.id) $<HTMLSelectElement>('ticket-status').value = ticket.status;
}

function renderActions(): void {
    const h = openHandoff;
    $('accept').hidden = h?.status !== 'queued';
    $('release').hidden = !(h?.status === 'active' && h.agent === me);
    $<HTMLButtonElement>('send').disabled = !(h?.status === 'active' && h.agent === me);
}

async function openConversation(conversationId: string): Promise<void> {
    if (conversationId !== openId) {
        liveEntries = [];
        ticketChoicePending = false;
    }
    openId = conversationId;
    $('action-error').textContent = '';
    const data = await api<{ handoff: HandoffView; entries: Entry[]; suggestions: string[] }>('GET', `/api/handoffs/${encodeURIComponent(conversationId)}/transcript`);
    openHandoff = data.handoff;
    $('conversation').hidden = false;
    $('conversation-title').textContent = `会话 ${conversationId} · ${REASONS[data.handoff.reason] ?? data.handoff.reason} · ${PERSONAS[data.handoff.persona] ?? ''}`;
    $('summary').textContent = data.handoff.summary;
    renderTranscript(withLiveEntries(data.entries));
    renderSuggestions(data.suggestions);
    openTicket = data.handoff.ticketId ? await api<Ticket>('GET', `/api/tickets/${encodeURIComponent(data.handoff.ticketId)}`).catch(() => null) : null;
    renderTicket(openTicket);
    renderActions();
    for (const row of $<HTMLTableSectionElement>('queue').rows) row.classList.toggle('open', row.dataset.conversationId === conversationId);
}

async function act(work: () => Promise<unknown>): Promise<void> {
    $('action-error').textContent = '';
    try {
        await work();
    } catch (error) {
        $('action-error').textContent = error instanceof Error ? error.message : String(error);
    }
    if (openId) await openConversation(openId);
    await refreshQueue();
}

/** Reads the live feed (server-sent events over fetch, so the token travels in a header) and reconnects if it drops. */
async function followFeed(): Promise<void> {
    feedAbort?.abort();
    const abort = new AbortController();
    feedAbort = abort;
    while (!abort.signal.aborted) {
        try {
            const res = await fetch('/api/handoffs/feed', { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
            if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
            $('feed-state').textContent = '● 实时';
            const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                buffer += value;
                let end: number;
                while ((end = buffer.indexOf('\n\n')) >= 0) {
                    const block = buffer.slice(0, end);
                    buffer = buffer.slice(end + 2);
                    const data = /^data: (.+)$/m.exec(block)?.[1];
                    if (data) onFeedEvent(JSON.parse(data) as { type: string; conversationId?: string; entry?: Entry; handoff?: HandoffView });
                }
            }
        } catch {
            if (abort.signal.aborted) return;
        }
        $('feed-state').textContent = '○ 重连中';
        await new Promise((r) => setTimeout(r, 2000));
    }
}

function onFeedEvent(event: { type: string; conversationId?: string; entry?: Entry; handoff?: HandoffView }): void {
    const conversationId = event.conversationId ?? event.handoff?.conversationId;
    if (event.type === 'message' && event.entry && conversationId === openId) {
        liveEntries.push(event.entry);
        const list = $<HTMLOListElement>('transcript');
        list.append(renderEntry(event.entry));
        list.scrollTop = list.scrollHeight;
        return;
    }
    void refreshQueue();
    if (conversationId && conversationId === openId) void openConversation(conversationId);
}

async function signIn(candidate: string): Promise<boolean> {
    token = candidate;
    try {
        me = (await api<{ name: string }>('GET', '/api/staff/me')).name;
    } catch (error) {
        $('sign-in-error').textContent = error instanceof ApiError && error.status === 401 ? '令牌无效，请重新输入' : '暂时连不上服务，请稍后再试';
        return false;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('who').textContent = `坐席：${me}`;
    $('sign-in').hidden = true;
    $('sign-out').hidden = false;
    $('desk').hidden = false;
    await refreshQueue();
    void followFeed();
    return true;
}

function wire(): void {
    $<HTMLFormElement>('sign-in').addEventListener('submit', (e) => {
        e.preventDefault();
        void signIn($<HTMLInputElement>('token').value.trim());
    });
    $('sign-out').addEventListener('click', () => {
        sessionStorage.removeItem(TOKEN_KEY);
        feedAbort?.abort();
        location.reload();
    });
    const change = (action: 'accept' | 'release') => async () => {
        const result = await api<{ ownerNotified: boolean }>('POST', `/api/handoffs/${encodeURIComponent(openId ?? '')}/${action}`);
        if (!result.ownerNotified) throw new Error('已处理，但业主的渠道暂时无法送达通知');
    };
    $('accept').addEventListener('click', () => void act(change('accept')));
    $('queue-more').addEventListener('click', () => void loadMoreQueued().catch(() => undefined));
    $('release').addEventListener('click', () => void act(change('release')));
    $<HTMLFormElement>('reply-form').addEventListener('submit', (e) => {
        e.preventDefault();
        const box = $<HTMLTextAreaElement>('reply');
        const text = box.value.trim();
        if (!text || !openId) return;
        void act(async () => {
            await api('POST', `/api/handoffs/${encodeURIComponent(openId ?? '')}/messages`, { text });
            box.value = '';
        });
    });
    $('ticket-status').addEventListener('change', () => {
        ticketChoicePending = true;
    });
    $('ticket-save').addEventListener('click', () => {
        if (!openTicket) return;
        const status = $<HTMLSelectElement>('ticket-status').value;
        $('ticket-error').textContent = '';
        api<Ticket>('PATCH', `/api/tickets/${encodeURIComponent(openTicket.id)}`, { status })
            .then((ticket) => {
                ticketChoicePending = false;
                openTicket = ticket;
                renderTicket(ticket);
            })
            .catch((error: unknown) => {
                $('ticket-error').textContent = error instanceof ApiError && error.status === 409 ? `不能从当前状态直接改为该状态（${error.message}）` : String(error);
            });
    });
    // Waiting times move on even when nothing happens.
    setInterval(() => {
        if (me) void refreshQueue().catch(() => undefined);
    }, 10_000);
    if (token) void signIn(token);
}

wire();
