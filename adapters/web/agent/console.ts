// The agent console: sign in (name and password, or a staff token), watch the handoff queue live, triage it from the
// rows (owner and room, last message, reason, waiting time, time left to accept, channel), never miss an urgent case
// (tone, desktop notification, pinned row, escalation), work several conversations as tabs with notes, transfer,
// tickets, the owner's history and replies that fit the case. Everything goes through the staff API with the token as
// a bearer header; owner text is only ever set as textContent, never parsed as HTML.

interface Attachment {
    contentType: string;
    contentUrl: string;
    name?: string;
}

interface Entry {
    at: string;
    from: 'owner' | 'bot' | 'agent' | 'system';
    agent?: string;
    text?: string;
    event?: string;
    attachments?: Attachment[];
}

interface OwnerProfile {
    name?: string | null;
    building?: string | number | null;
    unit?: string | number | null;
    room?: string | number | null;
}

interface HandoffView {
    conversationId: string;
    channelId: string;
    ownerId: string;
    status: 'queued' | 'active' | 'closed';
    reason: string;
    priority: number;
    since: string;
    waitingSeconds?: number;
    persona: string;
    emotion: string;
    agent: string | null;
    ticketId: string | null;
    summary: string;
    owner?: OwnerProfile | null;
    lastMessage?: string | null;
    priorityText?: string;
    reasonText?: string;
    channelText?: string;
    slaDueAt?: string | null;
    offeredTo?: string | null;
    offerExpiresAt?: string | null;
    escalatedAt?: string | null;
    agentDisplayName?: string | null;
    wechat?: { remaining?: number; windowClosesAt?: string | null };
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
    conversationId: string;
    createdAt: string;
    description: string;
    location: string | null;
    request: string | null;
    contact: { name?: string; phone?: string };
    sla: { responseDueAt: string; feedbackDueAt: string };
    history?: { at: string; by: string; action: string; note?: string }[];
    department?: string | null;
}

interface CannedReply {
    code: string;
    title: string;
    step: string;
    fits: boolean;
    text: string;
}

interface Colleague {
    name: string;
    displayName: string;
    status: string;
    load?: number;
    capacity?: number;
}

interface Me {
    name: string;
    displayName?: string;
    roles?: string[];
    presence?: string;
}

type Labels = Record<'reasons' | 'priorities' | 'personas' | 'emotions' | 'statuses' | 'channels' | 'ticketKinds' | 'ticketCategories' | 'ticketStatuses' | 'roles' | 'presence' | 'events', Record<string, string>>;

interface FeedEvent {
    type: string;
    conversationId?: string;
    entry?: Entry;
    handoff?: HandoffView;
    from?: string;
    to?: string;
    note?: string | null;
}

/** Owner lines that stand for words not kept (a message refused as too long is neither processed nor stored). */
const OWNER_MARKERS: Record<string, string> = { 'message.too_long': '（发来一条过长的消息，未处理，内容未保存）' };
const TOKEN_KEY = 'linli.agentToken';
const TABS_KEY = 'linli.agentTabs';
/** Rows a refresh reloads: the first page, or as many as the agent has loaded. */
const QUEUE_PAGE = 50;
/** The server's page limit (contract: at most 200), for reading the active conversations in one call. */
const MAX_PAGE = 200;
const URGENT = 2;
/** How many of an owner's tickets the history beside a conversation lists. */
const HISTORY_TICKETS = 20;
/** How many of an owner's earlier conversations it lists (the last few visits tell an agent enough). */
const HISTORY_CONVERSATIONS = 10;

const $ = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`#${id} missing`);
    return element as T;
};

let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
let me: Me = { name: '' };
let labels: Labels | null = null;
/** The estate's offset from UTC: every time on the desk is shown on the estate's clock, wherever the agent sits. */
let utcOffsetMinutes = 480;
/** Server time minus this browser's time, so waiting times and countdowns tick right on a machine whose clock is off. */
let skewMs = 0;
let openId: string | null = null;
let openHandoff: HandoffView | null = null;
let openTicket: Ticket | null = null;
let library: CannedReply[] = [];
let tabs: string[] = JSON.parse(sessionStorage.getItem(TABS_KEY) ?? '[]') as string[];
let feedAbort: AbortController | null = null;
/** The queued handoffs loaded so far, in the server's order; and the active ones (mine and colleagues'). */
let queued: HandoffView[] = [];
let active: HandoffView[] = [];
let queuedCursor: string | null = null;
let queueTotals: Pick<QueuePage, 'total' | 'countsByPriority'> = { total: 0, countsByPriority: {} };
/** The rows in the order shown (J/K walk them). */
let shown: HandoffView[] = [];
/** Urgent handoffs already announced (tone, notification), and escalations already raised, so each sounds once. */
const announced = new Set<string>();
const escalationsRaised = new Set<string>();
const offersAnnounced = new Set<string>();
/** The open escalation banners by conversation, so an accept can say it was taken care of. */
const escalationBanners = new Map<string, HTMLLIElement>();
/** Colleagues' display names by sign-in name (GET /api/agents), for who holds or is offered a case. */
const displayNames = new Map<string, string>();
const shownName = (name: string | null | undefined): string => (name ? (displayNames.get(name) ?? name) : '');
/** The agent picked a ticket status and has not saved it: a background refresh must not undo the choice. */
let ticketChoicePending = false;
/** Lines of the open conversation that came over the live feed and a stored read may not have yet. */
let liveEntries: Entry[] = [];
let cannedIndex = 0;

const label = (group: keyof Labels, code: string | number | null | undefined): string => {
    if (code === null || code === undefined) return '';
    return labels?.[group][String(code)] ?? String(code);
};

class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
    ) {
        super(message);
    }
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
        res = await fetch(path, {
            method,
            headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
    } catch {
        throw new ApiError(0, 'network', '连不上服务器，请检查网络');
    }
    const json = (await res.json().catch(() => ({}))) as T & { reason?: string; error?: string };
    if (!res.ok) throw new ApiError(res.status, json.error ?? '', json.reason ?? `HTTP ${res.status}`);
    return json;
}

// ——— time on the estate's clock ———

const now = (): number => Date.now() + skewMs;

/** A moment as the estate's wall clock reads it: "14:05", or "12-06 14:05" on another day. */
function estateTime(iso: string | null | undefined, withDate = false): string {
    if (!iso) return '—';
    const at = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000);
    const today = new Date(now() + utcOffsetMinutes * 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
    const sameDay = at.toISOString().slice(0, 10) === today.toISOString().slice(0, 10);
    return withDate || !sameDay ? `${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${time}` : time;
}

function duration(seconds: number): string {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return `${s}秒`;
    const minutes = Math.floor(s / 60);
    if (minutes < 60) return `${minutes}分${String(s % 60).padStart(2, '0')}秒`;
    return `${Math.floor(minutes / 60)}小时${minutes % 60}分`;
}

/** The waiting and countdown cells, every second, from the times the rows carry. */
function tick(): void {
    $('clock').textContent = `小区时间 ${estateTime(new Date(now()).toISOString())}`;
    for (const el of document.querySelectorAll<HTMLElement>('[data-since]')) el.textContent = duration((now() - Date.parse(el.dataset.since ?? '')) / 1000);
    for (const el of document.querySelectorAll<HTMLElement>('[data-due]')) {
        const left = (Date.parse(el.dataset.due ?? '') - now()) / 1000;
        el.textContent = left >= 0 ? `剩 ${duration(left)}` : `已超 ${duration(-left)}`;
        el.classList.toggle('overdue', left < 0);
        el.classList.toggle('due-soon', left >= 0 && left < 30);
    }
}

// ——— errors and alerts: each stays until the agent dismisses it ———

/** Why an action failed, in words an agent can act on. */
function explain(error: unknown): string {
    if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
    if (error.status === 401) return `登录已过期或令牌无效，请重新登录（${error.message}）`;
    if (error.status === 403) return `您的账号没有这项权限（${error.message}）`;
    if (error.code === 'outside_window') return `已超出微信 48 小时回复时限，业主再发一条消息后才能回复；可改为电话联系（${error.message}）`;
    if (error.code === 'owner_unreachable' || error.status === 502) return `业主的渠道暂时无法送达，消息没有发出，请稍后重试或电话联系（${error.message}）`;
    if (error.code === 'agent_unavailable') return `这位同事现在不在线，无法转交（${error.message}）`;
    if (error.status === 409) return `操作冲突：会话或工单已被其他人处理或状态已变，请看最新状态（${error.message}）`;
    if (error.status === 400) return `填写有误：${error.message}`;
    if (error.status === 404) return `找不到：${error.message}`;
    if (error.status === 429) return `操作太频繁，请稍后再试（${error.message}）`;
    if (error.status === 0) return error.message;
    return `服务器出错（${error.status}）：${error.message}`;
}

function notice(listId: 'errors' | 'alerts', text: string, testid: string, onOpen?: () => void): HTMLLIElement {
    const li = document.createElement('li');
    li.dataset.testid = testid;
    const words = document.createElement('span');
    words.textContent = text;
    li.append(words);
    if (onOpen) {
        const open = document.createElement('button');
        open.type = 'button';
        open.textContent = '查看';
        open.addEventListener('click', onOpen);
        li.append(open);
    }
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.textContent = '知道了';
    dismiss.dataset.testid = 'dismiss';
    dismiss.addEventListener('click', () => li.remove());
    li.append(dismiss);
    $(listId).prepend(li);
    return li;
}

function showError(action: string, error: unknown): void {
    notice('errors', `${action}失败：${explain(error)}`, 'error');
    if (error instanceof ApiError && error.status === 401) showSignIn();
}

// ——— the alert: a tone and a desktop notification ———

let tone: HTMLAudioElement | null = null;

function ring(): void {
    tone ??= new Audio('/agent/alert.wav');
    tone.currentTime = 0;
    tone.play().catch(() => undefined);
}

function notifyDesktop(title: string, body: string, conversationId: string): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const shown = new Notification(title, { body, tag: conversationId, requireInteraction: true });
    shown.onclick = () => {
        window.focus();
        void openConversation(conversationId);
    };
}

function ownerWords(h: HandoffView): string {
    const place = describePlace(h.owner);
    const name = h.owner?.name?.trim() ?? '';
    return [name, place].filter(Boolean).join(' ') || `${label('personas', h.persona)}（未留姓名）`;
}

function reasonWords(h: HandoffView): string {
    return h.reasonText ?? label('reasons', h.reason);
}

function priorityWords(h: HandoffView): string {
    return `P${h.priority} ${h.priorityText ?? label('priorities', h.priority)}`;
}

/** Urgent handoffs sound and notify once each; an offer to me too; an escalation alerts everyone, supervisors first. */
function announce(h: HandoffView): void {
    if (h.status !== 'queued') return;
    if (h.priority <= URGENT && !announced.has(h.conversationId)) {
        announced.add(h.conversationId);
        ring();
        notifyDesktop(`${priorityWords(h)}：${reasonWords(h)}`, `${ownerWords(h)}：${h.lastMessage ?? h.summary}`, h.conversationId);
    }
    if (h.escalatedAt && !escalationsRaised.has(h.conversationId)) raiseEscalation(h);
    if (h.offeredTo === me.name && !offersAnnounced.has(h.conversationId)) {
        offersAnnounced.add(h.conversationId);
        if (h.priority > URGENT) ring();
        notice('alerts', `派给您的会话：${priorityWords(h)} · ${reasonWords(h)} · ${ownerWords(h)}，请尽快接入`, 'offer-alert', () => void openConversation(h.conversationId));
    }
}

function raiseEscalation(h: HandoffView): void {
    escalationsRaised.add(h.conversationId);
    const supervisor = me.roles?.includes('supervisor') ?? false;
    const text = `${supervisor ? '【主管】' : ''}紧急会话超时无人接入：${priorityWords(h)} · ${reasonWords(h)} · ${ownerWords(h)}，已等待 ${duration((now() - Date.parse(h.since)) / 1000)}`;
    const li = notice('alerts', text, 'escalation-alert', () => void openConversation(h.conversationId));
    li.classList.add('escalation');
    escalationBanners.set(h.conversationId, li);
    ring();
    notifyDesktop(`紧急会话超时无人接入：${reasonWords(h)}`, `${ownerWords(h)}：${h.lastMessage ?? h.summary}`, h.conversationId);
}

// ——— the queue ———

function describePlace(owner: OwnerProfile | null | undefined): string {
    if (!owner) return '';
    const part = (value: string | number | null | undefined, suffix: string) => {
        const text = value === null || value === undefined ? '' : String(value).trim();
        return /^\d+$/.test(text) ? `${text}${suffix}` : text;
    };
    return `${part(owner.building, '栋')}${part(owner.unit, '单元')}${part(owner.room, '')}`;
}

function cell(row: HTMLTableRowElement, text: string, className = ''): HTMLTableCellElement {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
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

/** The server's clock from a row it just sent (`since` + `waitingSeconds`), to the second. */
function learnSkew(rows: HandoffView[]): void {
    const sample = rows.find((h) => typeof h.waitingSeconds === 'number');
    if (sample?.waitingSeconds !== undefined) skewMs = Date.parse(sample.since) + sample.waitingSeconds * 1000 - Date.now();
}

async function refreshQueue(): Promise<void> {
    const [queue, activePage] = await Promise.all([loadQueued(queued.length), api<QueuePage>('GET', `/api/handoffs?status=active&limit=${MAX_PAGE}`)]);
    queued = queue.handoffs;
    queuedCursor = queue.nextCursor;
    queueTotals = queue;
    active = activePage.handoffs;
    learnSkew(queued);
    renderQueue();
}

async function loadMoreQueued(): Promise<void> {
    if (!queuedCursor) return;
    const next = await api<QueuePage>('GET', `/api/handoffs?status=queued&limit=${QUEUE_PAGE}&cursor=${encodeURIComponent(queuedCursor)}`);
    queued = [...queued, ...next.handoffs];
    queuedCursor = next.nextCursor;
    renderQueue();
}

/**
 * Urgent waiting cases pinned on top (they cannot scroll away), then the agent's own conversations, then the rest of
 * the queue in the server's order; a supervisor also sees colleagues' active conversations.
 */
function renderQueue(): void {
    const urgent = queued.filter((h) => h.priority <= URGENT);
    const mine = active.filter((h) => h.agent === me.name);
    const others = me.roles?.includes('supervisor') ? active.filter((h) => h.agent !== me.name) : [];
    shown = [...urgent, ...mine, ...queued.filter((h) => h.priority > URGENT), ...others];
    const body = $<HTMLTableSectionElement>('queue');
    body.replaceChildren();
    for (const h of shown) {
        const row = body.insertRow();
        row.dataset.conversationId = h.conversationId;
        row.dataset.testid = 'queue-row';
        row.dataset.priority = String(h.priority);
        row.classList.toggle('urgent', h.status === 'queued' && h.priority <= URGENT);
        row.classList.toggle('escalated', h.status === 'queued' && Boolean(h.escalatedAt));
        row.classList.toggle('offered-me', h.status === 'queued' && h.offeredTo === me.name);
        row.classList.toggle('mine', h.status === 'active' && h.agent === me.name);
        row.classList.toggle('open', h.conversationId === openId);
        const priority = cell(row, priorityWords(h), h.priority === 1 ? 'p1' : h.priority === 2 ? 'p2' : '');
        if (h.status === 'queued' && h.escalatedAt) {
            const badge = document.createElement('span');
            badge.className = 'badge';
            badge.textContent = '已上报主管';
            priority.append(document.createElement('br'), badge);
        }
        cell(row, ownerWords(h), 'owner');
        const last = cell(row, '', 'last');
        const words = document.createElement('div');
        words.className = 'clamp';
        words.textContent = h.lastMessage ?? h.summary;
        last.append(words);
        last.title = h.lastMessage ?? h.summary;
        cell(row, `${reasonWords(h)}${h.emotion !== 'calm' ? ` · ${label('emotions', h.emotion)}` : ''}`);
        cell(row, '', 'ticking').dataset.since = h.since;
        const due = cell(row, h.slaDueAt && h.status === 'queued' ? '' : '—', 'ticking');
        if (h.slaDueAt && h.status === 'queued') due.dataset.due = h.slaDueAt;
        const windowLeft = h.wechat?.windowClosesAt ? `（窗口至 ${estateTime(h.wechat.windowClosesAt)}）` : '';
        cell(row, `${h.channelText ?? label('channels', h.channelId)}${windowLeft}`);
        cell(row, statusWords(h));
        row.addEventListener('click', () => void openConversation(h.conversationId));
        announce(h);
    }
    tick();
    $('queue-empty').hidden = shown.length > 0;
    const urgentCount = (queueTotals.countsByPriority['1'] ?? 0) + (queueTotals.countsByPriority['2'] ?? 0);
    $('queue-summary').textContent = `等待接入共 ${queueTotals.total} 个（紧急 ${urgentCount} 个）· 我正在处理 ${mine.length} 个${queued.length < queueTotals.total ? ` · 已显示 ${queued.length} 个等待` : ''}`;
    $('queue-more').hidden = !queuedCursor;
    renderTabs();
}

function statusWords(h: HandoffView): string {
    if (h.status === 'active') return h.agent === me.name ? '我正在处理' : `${label('statuses', 'active')}（${h.agentDisplayName ?? shownName(h.agent)}）`;
    if (h.status === 'queued' && h.offeredTo) return h.offeredTo === me.name ? '派给我，待接入' : `已派给 ${shownName(h.offeredTo)}`;
    return label('statuses', h.status);
}

// ——— tabs: several open conversations ———

function known(conversationId: string): HandoffView | undefined {
    return [...queued, ...active].find((h) => h.conversationId === conversationId) ?? (openHandoff?.conversationId === conversationId ? openHandoff : undefined);
}

function saveTabs(): void {
    sessionStorage.setItem(TABS_KEY, JSON.stringify(tabs));
}

function renderTabs(): void {
    const nav = $('tabs');
    nav.replaceChildren(
        ...tabs.map((id) => {
            const h = known(id);
            const tab = document.createElement('button');
            tab.type = 'button';
            tab.setAttribute('role', 'tab');
            tab.setAttribute('aria-selected', String(id === openId));
            tab.dataset.testid = 'tab';
            tab.dataset.conversationId = id;
            tab.className = h && h.priority <= URGENT && h.status !== 'closed' ? 'urgent' : '';
            tab.textContent = h ? `${ownerWords(h)} · ${reasonWords(h)}` : id;
            tab.addEventListener('click', () => void openConversation(id));
            const close = document.createElement('span');
            close.className = 'close';
            close.textContent = '×';
            close.title = '关闭标签页（X）';
            close.addEventListener('click', (e) => {
                e.stopPropagation();
                closeTab(id);
            });
            tab.append(close);
            return tab;
        }),
    );
}

function closeTab(id: string): void {
    const at = tabs.indexOf(id);
    tabs = tabs.filter((t) => t !== id);
    saveTabs();
    if (id === openId) {
        const next = tabs[Math.min(at, tabs.length - 1)];
        if (next) void openConversation(next);
        else {
            openId = null;
            openHandoff = null;
            $('conversation').hidden = true;
            $('no-conversation').hidden = false;
            renderQueue();
        }
    } else renderTabs();
}

// ——— one conversation ———

function renderEntry(entry: Entry): HTMLLIElement {
    const li = document.createElement('li');
    li.className = entry.from;
    li.dataset.from = entry.from;
    const time = document.createElement('time');
    time.textContent = estateTime(entry.at);
    const words = document.createElement('span');
    if (entry.from === 'system') {
        const event = label('events', entry.event ?? '');
        const waitedSeconds = entry.event === 'handoff.escalated' ? Number(entry.text) : Number.NaN;
        const detail = Number.isFinite(waitedSeconds) ? `（已等 ${duration(waitedSeconds)}）` : entry.text ? `：${labels?.reasons[entry.text] ?? entry.text}` : '';
        words.textContent = `— ${event}${detail}${entry.agent ? `（${entry.agent}）` : ''} —`;
        if (entry.event === 'handoff.note') li.classList.add('note');
    } else {
        // Agents' lines are kept as typed, under the agent's name (the owner saw them signed with the display name).
        const who = entry.from === 'agent' ? `坐席 ${shownName(entry.agent)}：` : entry.from === 'owner' ? '业主：' : '小邻：';
        const files = entry.attachments?.length ? `（发来 ${entry.attachments.length} 个文件）` : '';
        words.textContent = `${who}${entry.text ?? OWNER_MARKERS[entry.event ?? ''] ?? entry.event ?? ''}${files}`;
    }
    li.append(time, words);
    for (const file of entry.attachments ?? []) li.append(document.createElement('br'), fileView(file));
    return li;
}

/** A photo as a thumbnail that opens full size; any other file (or one on another site) as a link. */
function fileView(file: Attachment): HTMLElement {
    const link = document.createElement('a');
    link.href = file.contentUrl;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    let sameSite = false;
    try {
        // The console's own origin (web chat uploads), or an inline image (the page's policy allows data: images only).
        sameSite = new URL(file.contentUrl, location.href).origin === location.origin || file.contentUrl.startsWith('data:image/');
    } catch {
        sameSite = false;
    }
    if (file.contentType.startsWith('image/') && sameSite) {
        const img = document.createElement('img');
        img.src = file.contentUrl;
        img.alt = file.name ?? '业主发来的图片';
        img.className = 'thumb';
        link.append(img);
    } else link.textContent = file.name ?? file.contentUrl;
    return link;
}

/** Where the photo is written on the ticket: a note naming it, so whoever handles the ticket can open it. */
const photoNote = (file: Attachment): string => `业主发来的图片：${file.name ?? ''} ${file.contentUrl}`.slice(0, 2000);

/**
 * The owner's photos beside the transcript: web uploads from the transcript (each can be attached to the ticket), and
 * WeChat photos, which Linli attaches to the conversation's open ticket when they arrive (read from its history).
 */
function renderImages(entries: Entry[]): void {
    const onTicket = (url: string) => (openTicket?.history ?? []).some((h) => h.note?.includes(url));
    const uploads = entries.filter((e) => e.from === 'owner').flatMap((e) => (e.attachments ?? []).map((file) => ({ file, at: e.at })));
    const wechat = (openTicket?.history ?? []).flatMap((h) => {
        const url = /PicUrl (\S+)/.exec(h.note ?? '')?.[1];
        return url ? [{ file: { contentType: 'image/jpeg', contentUrl: url, name: '微信图片' }, at: h.at }] : [];
    });
    const items = [...uploads, ...wechat].map(({ file, at }) => {
        const li = document.createElement('li');
        li.dataset.testid = 'image';
        const when = document.createElement('span');
        when.className = 'muted';
        when.textContent = `${estateTime(at)} `;
        li.append(when, fileView(file));
        if (onTicket(file.contentUrl)) {
            const done = document.createElement('span');
            done.className = 'muted';
            done.dataset.testid = 'image-attached';
            done.textContent = ' 已附到工单';
            li.append(done);
        } else if (openTicket) {
            const ticketId = openTicket.id;
            const attach = document.createElement('button');
            attach.type = 'button';
            attach.dataset.testid = 'image-attach';
            attach.textContent = `附到工单 ${ticketId}`;
            attach.addEventListener('click', () => void act('把图片附到工单', () => api('PATCH', `/api/tickets/${encodeURIComponent(ticketId)}`, { note: photoNote(file) })));
            li.append(' ', attach);
        }
        return li;
    });
    $('images').replaceChildren(...(items.length ? items : [Object.assign(document.createElement('li'), { textContent: '没有图片', className: 'muted' })]));
}

function shownEntry(e: Entry): boolean {
    return Boolean(e.text) || Boolean(e.attachments?.length) || e.from === 'system' || (e.from === 'owner' && Boolean(OWNER_MARKERS[e.event ?? '']));
}

function renderTranscript(entries: Entry[]): void {
    const list = $<HTMLOListElement>('transcript');
    list.replaceChildren(...entries.filter(shownEntry).map(renderEntry));
    list.scrollTop = list.scrollHeight;
    const notes = entries.filter((e) => e.event === 'handoff.note');
    $('notes').replaceChildren(
        ...notes.map((n) => {
            const li = document.createElement('li');
            li.dataset.testid = 'note-entry';
            li.textContent = `${estateTime(n.at)} ${n.agent ?? ''}：${n.text ?? ''}`;
            return li;
        }),
    );
}

const lineKey = (e: Entry): string => `${e.from}|${e.agent ?? ''}|${e.text ?? ''}|${e.event ?? ''}`;

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

function renderSuggestions(suggestions: string[]): void {
    $('suggestions').replaceChildren(
        ...suggestions.map((text) => {
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = text;
            button.dataset.testid = 'suggestion';
            button.addEventListener('click', () => {
                const box = $<HTMLTextAreaElement>('reply');
                box.value = text;
                box.focus();
            });
            return button;
        }),
    );
}

function option(value: string, text: string): HTMLOptionElement {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    return o;
}

function renderTicket(ticket: Ticket | null): void {
    $('ticket-id').textContent = ticket?.id ?? '（尚未建单）';
    $('ticket-view').hidden = !ticket;
    $('ticket-create').hidden = Boolean(ticket) || openHandoff?.status === 'closed';
    if (!ticket) {
        const h = openHandoff;
        const description = $<HTMLTextAreaElement>('ticket-description');
        if (h && !description.value) description.value = h.lastMessage ?? '';
        const location = $<HTMLInputElement>('ticket-location');
        if (h && !location.value) location.value = describePlace(h.owner);
        const contact = $<HTMLInputElement>('ticket-contact');
        if (h && !contact.value) contact.value = h.owner?.name ?? '';
        if (h?.reason === 'emergency' || h?.reason === 'safety') {
            $<HTMLSelectElement>('ticket-kind').value = 'emergency';
            $<HTMLSelectElement>('ticket-category').value = 'emergency';
        }
        return;
    }
    const fields: [string, string][] = [
        ['类型', `${label('ticketKinds', ticket.kind)} / ${label('ticketCategories', ticket.category)}`],
        ['状态', label('ticketStatuses', ticket.status)],
        ['内容', ticket.description],
        ['位置', ticket.location ?? '—'],
        ['诉求', ticket.request ?? '—'],
        ['联系人', [ticket.contact.name, ticket.contact.phone].filter(Boolean).join(' ') || '—'],
        ['处理部门', ticket.department ?? '—'],
        ['最近记录', (ticket.history ?? []).filter((h) => h.note && (h.action === 'note' || h.action === 'status')).slice(-1).map((h) => `${estateTime(h.at, true)} ${shownName(h.by)}：${h.note ?? ''}`)[0] ?? '—'],
        ['响应时限', estateTime(ticket.sla.responseDueAt, true)],
        ['反馈时限', estateTime(ticket.sla.feedbackDueAt, true)],
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
    const department = $<HTMLInputElement>('ticket-department');
    if (document.activeElement !== department) department.value = ticket.department ?? '';
}

function renderActions(): void {
    const h = openHandoff;
    const mine = h?.status === 'active' && h.agent === me.name;
    const offeredElsewhere = h?.status === 'queued' && Boolean(h.offeredTo) && h?.offeredTo !== me.name;
    $('accept').hidden = h?.status !== 'queued';
    $('accept').textContent = offeredElsewhere ? `接入（已派给 ${shownName(h?.offeredTo)}）` : '接入（A）';
    $('release').hidden = !mine;
    $('release-next').hidden = !mine;
    $<HTMLButtonElement>('send').disabled = !mine;
    $('transfer-box').hidden = !(mine || (h?.status === 'active' && me.roles?.includes('supervisor')));
}

async function loadColleagues(): Promise<void> {
    const select = $<HTMLSelectElement>('transfer-to');
    const chosen = select.value;
    const { agents } = await api<{ agents: Colleague[] }>('GET', '/api/agents');
    for (const a of agents) displayNames.set(a.name, a.displayName);
    select.replaceChildren(
        ...agents
            .filter((a) => a.name !== me.name)
            .map((a) => option(a.name, `${a.displayName}（${label('presence', a.status)}${a.capacity ? `，${a.load ?? 0}/${a.capacity}` : ''}）`)),
    );
    if (chosen) select.value = chosen;
}

/** One of the owner's conversations as the outcome records keep it (GET /api/owners/conversations). */
interface PastConversation {
    conversationId: string;
    channelId: string;
    startedAt: string;
    handoff: { at: string; reason: string; priority: number } | null;
    agent: string | null;
    resolution: { at: string; how: string } | null;
    satisfaction: { score: number } | null;
}

/**
 * The owner's tickets and conversations, newest first: owners are told apart by channel and id together. A past
 * conversation a person handled opens in a tab; one the bot answered alone is listed with how it went.
 */
async function loadHistory(h: HandoffView): Promise<void> {
    const conversationId = h.conversationId;
    const owner = `ownerId=${encodeURIComponent(h.ownerId)}`;
    const [page, past] = await Promise.all([
        api<{ tickets: (Ticket & { channelId: string })[] }>('GET', `/api/tickets?${owner}&limit=${HISTORY_TICKETS}`),
        // The visits are a help beside the tickets: without them the tickets still show.
        api<{ conversations: PastConversation[] }>('GET', `/api/owners/conversations?channelId=${encodeURIComponent(h.channelId)}&${owner}&limit=${HISTORY_CONVERSATIONS}`).catch(() => ({ conversations: [] })),
    ]);
    const tickets = page.tickets.filter((t) => t.channelId === h.channelId);
    const ticketItems = tickets.map((t) => {
        const li = document.createElement('li');
        li.dataset.testid = 'history-entry';
        const here = t.conversationId === conversationId ? '（本次会话）' : '';
        li.textContent = `${estateTime(t.createdAt, true)} ${t.id}${here} ${label('ticketKinds', t.kind)} · ${label('ticketStatuses', t.status)}：${t.description}`;
        if (t.conversationId !== conversationId) {
            li.classList.add('link');
            li.title = '打开这次会话';
            li.addEventListener('click', () => void openConversation(t.conversationId));
        }
        return li;
    });
    const visitItems = past.conversations
        .filter((c) => c.conversationId !== conversationId)
        .map((c) => {
            const li = document.createElement('li');
            li.dataset.testid = 'history-conversation';
            const how = [
                c.handoff ? `转人工（${label('reasons', c.handoff.reason)}）` : '机器人答复',
                c.agent ? `${shownName(c.agent)}接待` : '',
                c.resolution ? '已解决' : '',
                c.satisfaction ? `评分${c.satisfaction.score}` : '',
            ].filter(Boolean);
            li.textContent = `${estateTime(c.startedAt, true)} 会话 · ${how.join(' · ')}`;
            if (c.handoff) {
                li.classList.add('link');
                li.title = '打开这次会话';
                li.addEventListener('click', () => void openConversation(c.conversationId));
            }
            return li;
        });
    const items = [...ticketItems, ...visitItems];
    $('history').replaceChildren(...(items.length ? items : [Object.assign(document.createElement('li'), { textContent: '这位业主没有其他工单或会话', className: 'muted' })]));
}

async function openConversation(conversationId: string): Promise<void> {
    if (conversationId !== openId) {
        liveEntries = [];
        ticketChoicePending = false;
        for (const id of ['ticket-description', 'ticket-location', 'ticket-request', 'ticket-contact', 'ticket-phone', 'ticket-note', 'note', 'transfer-note']) $<HTMLInputElement>(id).value = '';
        $<HTMLTextAreaElement>('reply').value = '';
    }
    openId = conversationId;
    if (!tabs.includes(conversationId)) {
        tabs.push(conversationId);
        saveTabs();
    }
    // The tab shows at once, before the transcript arrives.
    renderTabs();
    let data: { handoff: HandoffView; entries: Entry[]; suggestions: string[] };
    try {
        data = await api('GET', `/api/handoffs/${encodeURIComponent(conversationId)}/transcript`);
    } catch (error) {
        showError('打开会话', error);
        if (error instanceof ApiError && error.status === 404) closeTab(conversationId);
        return;
    }
    if (openId !== conversationId) return;
    const listed = known(conversationId);
    openHandoff = { ...listed, ...data.handoff, lastMessage: data.handoff.lastMessage ?? listed?.lastMessage ?? data.entries.filter((e) => e.from === 'owner' && e.text).at(-1)?.text ?? null };
    const h = openHandoff;
    $('conversation').hidden = false;
    $('no-conversation').hidden = true;
    $('conversation-title').textContent = `${priorityWords(h)} · ${reasonWords(h)} · ${ownerWords(h)} · ${h.channelText ?? label('channels', h.channelId)} · ${label('personas', h.persona)}`;
    $('conversation-title').className = h.priority <= URGENT ? 'urgent' : '';
    $('summary').textContent = `${statusWords(h)} · 转人工于 ${estateTime(h.since)} · ${h.summary}`;
    renderTranscript(withLiveEntries(data.entries));
    renderSuggestions(data.suggestions);
    openTicket = h.ticketId ? await api<Ticket>('GET', `/api/tickets/${encodeURIComponent(h.ticketId)}`).catch(() => null) : null;
    renderTicket(openTicket);
    renderImages(data.entries);
    renderActions();
    renderQueue();
    await Promise.all([
        api<{ replies: CannedReply[] }>('GET', `/api/desk/replies?conversationId=${encodeURIComponent(conversationId)}`)
            .then((r) => {
                library = r.replies;
            })
            .catch(() => undefined),
        loadHistory(h).catch(() => undefined),
        $('transfer-box').hidden ? Promise.resolve() : loadColleagues().catch(() => undefined),
    ]);
}

/** Runs an action; its failure stays on screen with the reason until dismissed; the view is read again either way. */
async function act(action: string, work: () => Promise<unknown>): Promise<boolean> {
    let ok = true;
    try {
        await work();
    } catch (error) {
        ok = false;
        showError(action, error);
    }
    if (openId) await openConversation(openId);
    await refreshQueue().catch(() => undefined);
    return ok;
}

async function accept(): Promise<void> {
    const id = openId;
    if (!id || openHandoff?.status !== 'queued') return;
    await act('接入', async () => {
        const result = await api<{ ownerNotified: boolean }>('POST', `/api/handoffs/${encodeURIComponent(id)}/accept`);
        if (!result.ownerNotified) notice('errors', '已接入，但业主的渠道暂时无法送达接入通知，请直接回复业主', 'error');
    });
}

async function release(): Promise<boolean> {
    const id = openId;
    if (!id || openHandoff?.status !== 'active') return false;
    return act('交还机器人', async () => {
        const result = await api<{ ownerNotified: boolean }>('POST', `/api/handoffs/${encodeURIComponent(id)}/release`);
        if (!result.ownerNotified) notice('errors', '已交还机器人，但业主的渠道暂时无法送达通知', 'error');
    });
}

/** Release this one, close its tab and open the next case waiting (the one offered to me first). */
async function releaseAndNext(): Promise<void> {
    const id = openId;
    if (!id || !(await release())) return;
    closeTab(id);
    const next = queued.find((h) => h.offeredTo === me.name) ?? queued.find((h) => !h.offeredTo || h.offeredTo === me.name);
    if (next) await openConversation(next.conversationId);
}

function step(delta: number): void {
    if (shown.length === 0) return;
    const at = shown.findIndex((h) => h.conversationId === openId);
    const next = shown[at < 0 ? (delta > 0 ? 0 : shown.length - 1) : (at + delta + shown.length) % shown.length];
    if (next) void openConversation(next.conversationId);
}

function stepTab(delta: number): void {
    if (tabs.length === 0) return;
    const at = tabs.indexOf(openId ?? '');
    const next = tabs[(at + delta + tabs.length) % tabs.length];
    if (next) void openConversation(next);
}

// ——— canned replies: `/` in the reply box ———

function cannedMatches(query: string): CannedReply[] {
    const q = query.trim().toLowerCase();
    return library.filter((r) => !q || r.code.startsWith(q) || r.title.includes(q) || r.text.includes(q));
}

function renderCanned(): void {
    const box = $<HTMLTextAreaElement>('reply');
    const list = $('canned');
    const query = /^\/(\S*)$/.exec(box.value)?.[1];
    if (query === undefined) {
        list.hidden = true;
        return;
    }
    const matches = cannedMatches(query);
    cannedIndex = Math.min(cannedIndex, Math.max(0, matches.length - 1));
    list.replaceChildren(
        ...matches.map((r, i) => {
            const li = document.createElement('li');
            li.setAttribute('role', 'option');
            li.setAttribute('aria-selected', String(i === cannedIndex));
            li.dataset.testid = 'canned-reply';
            li.dataset.code = r.code;
            li.className = r.fits ? 'fits' : '';
            const code = document.createElement('b');
            code.textContent = `/${r.code}`;
            const title = document.createElement('span');
            title.textContent = ` ${r.title}${r.fits ? '' : '（不太贴合本案）'}：`;
            const text = document.createElement('span');
            text.className = 'muted';
            text.textContent = r.text;
            li.append(code, title, text);
            li.addEventListener('mousedown', (e) => {
                e.preventDefault();
                useCanned(r);
            });
            return li;
        }),
    );
    if (matches.length === 0) list.replaceChildren(Object.assign(document.createElement('li'), { textContent: '没有匹配的常用语', className: 'muted' }));
    list.hidden = false;
}

function useCanned(reply: CannedReply): void {
    const box = $<HTMLTextAreaElement>('reply');
    box.value = reply.text;
    $('canned').hidden = true;
    box.focus();
    // A placeholder left open ({ticketId} before there is a ticket) is selected for the agent to type over.
    const gap = /\{\w+\}/.exec(reply.text);
    if (gap) box.setSelectionRange(gap.index, gap.index + gap[0].length);
    else box.setSelectionRange(box.value.length, box.value.length);
}

function onReplyKey(e: KeyboardEvent): void {
    const list = $('canned');
    if (!list.hidden) {
        const matches = cannedMatches(/^\/(\S*)$/.exec($<HTMLTextAreaElement>('reply').value)?.[1] ?? '');
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            cannedIndex = (cannedIndex + (e.key === 'ArrowDown' ? 1 : -1) + matches.length) % Math.max(1, matches.length);
            renderCanned();
            return;
        }
        if ((e.key === 'Enter' || e.key === 'Tab') && matches[cannedIndex]) {
            e.preventDefault();
            useCanned(matches[cannedIndex]);
            return;
        }
        if (e.key === 'Escape') {
            list.hidden = true;
            return;
        }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        $<HTMLFormElement>('reply-form').requestSubmit();
    }
}

// ——— the live feed ———

/** Reads the live feed (server-sent events over fetch, so the token travels in a header) and reconnects if it drops. */
async function followFeed(): Promise<void> {
    feedAbort?.abort();
    const abort = new AbortController();
    feedAbort = abort;
    while (!abort.signal.aborted) {
        try {
            const res = await fetch('/api/handoffs/feed', { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
            if (res.status === 401) {
                showError('实时连接', new ApiError(401, 'unauthorized', '会话已过期'));
                return;
            }
            if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
            $('feed-state').textContent = '● 实时';
            $('feed-state').className = 'live';
            // Whatever happened while the feed was down.
            void refreshQueue().catch(() => undefined);
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
                    if (data) onFeedEvent(JSON.parse(data) as FeedEvent);
                }
            }
        } catch {
            if (abort.signal.aborted) return;
        }
        $('feed-state').textContent = '○ 重连中';
        $('feed-state').className = 'muted';
        await new Promise((r) => setTimeout(r, 2000));
    }
}

let rereadTimer: ReturnType<typeof setTimeout> | undefined;

/** Reads the open conversation again shortly (a turn's lines are stored when the turn ends), once per burst. */
function rereadSoon(conversationId: string): void {
    clearTimeout(rereadTimer);
    rereadTimer = setTimeout(() => {
        if (openId === conversationId) void openConversation(conversationId);
    }, 1000);
}

function onFeedEvent(event: FeedEvent): void {
    const conversationId = event.conversationId ?? event.handoff?.conversationId;
    if ((event.type === 'message' || event.type === 'handoff.note') && event.entry) {
        if (conversationId === openId) {
            liveEntries.push(event.entry);
            // A note changes the panels beside the transcript; so may an owner's message (a photo, which the feed
            // line does not carry): the stored transcript is read again once the owner's turn is written.
            if (event.type === 'handoff.note') void openConversation(conversationId);
            else if (event.entry.from === 'owner') rereadSoon(conversationId);
            else if (shownEntry(event.entry)) {
                const list = $<HTMLOListElement>('transcript');
                list.append(renderEntry(event.entry));
                list.scrollTop = list.scrollHeight;
            }
        }
        if (event.type === 'message' && event.entry.from === 'owner') void refreshQueue().catch(() => undefined);
        return;
    }
    if (event.type === 'agent.presence') {
        void loadColleagues().catch(() => undefined);
        return;
    }
    if (event.type === 'handoff.escalated' && event.handoff && !escalationsRaised.has(event.handoff.conversationId)) raiseEscalation(event.handoff);
    // Once someone takes an escalated case its banner says so and calms down (it stays until dismissed).
    const banner = event.handoff && escalationBanners.get(event.handoff.conversationId);
    if (banner && event.handoff?.status === 'active') {
        banner.classList.remove('escalation');
        const words = banner.querySelector('span');
        if (words) words.textContent = `${words.textContent ?? ''}——已由 ${event.handoff.agentDisplayName ?? shownName(event.handoff.agent)} 接入`;
        escalationBanners.delete(event.handoff.conversationId);
    }
    if (event.type === 'handoff.transferred' && event.handoff && event.to === me.name) {
        const h = event.handoff;
        ring();
        notice('alerts', `${shownName(event.from)} 把会话转给了您：${reasonWords(h)} · ${ownerWords(h)}${event.note ? `。交接说明：${event.note}` : ''}`, 'transfer-alert', () => void openConversation(h.conversationId));
    }
    void refreshQueue().catch(() => undefined);
    if (conversationId && conversationId === openId) void openConversation(conversationId);
}

// ——— signing in ———

function showSignIn(): void {
    feedAbort?.abort();
    $('sign-in-panel').hidden = false;
}

function askForNotifications(): void {
    // Asked on the sign-in click: browsers only show the prompt after a gesture.
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission();
}

async function startDesk(): Promise<boolean> {
    try {
        me = await api<Me>('GET', '/api/staff/me');
        const desk = await api<{ labels: Labels; utcOffsetMinutes: number }>('GET', '/api/desk');
        labels = desk.labels;
        utcOffsetMinutes = desk.utcOffsetMinutes;
    } catch (error) {
        $('sign-in-error').textContent =
            error instanceof ApiError && error.status === 401
                ? '令牌无效或已过期，请重新登录'
                : error instanceof ApiError && error.status === 403
                  ? '这个账号没有坐席或主管权限，不能使用坐席台'
                  : `暂时连不上服务，请稍后再试（${explain(error)}）`;
        sessionStorage.removeItem(TOKEN_KEY);
        return false;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('sign-in-error').textContent = '';
    $('who').textContent = `${(me.roles ?? ['agent']).map((r) => label('roles', r)).join('/')}：${me.displayName ?? me.name}`;
    $('sign-in-panel').hidden = true;
    for (const id of ['sign-out', 'help-open']) $(id).hidden = false;
    $('presence').hidden = !(me.roles ?? ['agent']).includes('agent');
    $<HTMLSelectElement>('presence').value = me.presence === 'away' ? 'away' : 'online';
    $('desk').hidden = false;
    fillSelect('ticket-status', 'ticketStatuses');
    fillSelect('ticket-kind', 'ticketKinds');
    fillSelect('ticket-category', 'ticketCategories');
    await loadColleagues().catch(() => undefined);
    // Every urgent case already waiting is announced once at sign-in: the agent may have just arrived for it.
    await refreshQueue().catch((error: unknown) => showError('读取队列', error));
    void followFeed();
    const reopen = tabs.at(-1);
    if (reopen) void openConversation(reopen);
    return true;
}

function fillSelect(id: string, group: keyof Labels): void {
    $<HTMLSelectElement>(id).replaceChildren(...Object.entries(labels?.[group] ?? {}).map(([code, words]) => option(code, words)));
}

async function signInWithPassword(name: string, password: string): Promise<void> {
    askForNotifications();
    try {
        const session = await fetch('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
        const json = (await session.json().catch(() => ({}))) as { token?: string; reason?: string };
        if (!session.ok || !json.token) {
            $('sign-in-error').textContent = session.status === 401 ? '账号或密码不对' : session.status === 429 ? '尝试太频繁，请一分钟后再试' : `登录失败：${json.reason ?? session.status}`;
            return;
        }
        token = json.token;
    } catch {
        $('sign-in-error').textContent = '连不上服务器，请检查网络';
        return;
    }
    $<HTMLInputElement>('account-password').value = '';
    await startDesk();
}

async function signOut(): Promise<void> {
    // A session token is ended on the server; a configured token is not a session (409), which is fine here.
    await api('DELETE', '/api/sessions/current').catch(() => undefined);
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(TABS_KEY);
    feedAbort?.abort();
    location.reload();
}

// ——— keyboard ———

function typing(target: EventTarget | null): boolean {
    return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function toggleHelp(show = $('help').hidden): void {
    $('help').hidden = !show;
    if (show) $('help-close').focus();
}

function onKey(e: KeyboardEvent): void {
    if (!me.name || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape') {
        if (!$('help').hidden) toggleHelp(false);
        else if (typing(e.target)) (e.target as HTMLElement).blur();
        return;
    }
    if (typing(e.target)) return;
    const actions: Record<string, () => void> = {
        j: () => step(1),
        k: () => step(-1),
        a: () => void accept(),
        e: () => void releaseAndNext(),
        r: () => $('reply').focus(),
        n: () => $('note').focus(),
        '[': () => stepTab(-1),
        ']': () => stepTab(1),
        x: () => openId && closeTab(openId),
        '?': () => toggleHelp(),
    };
    const run = actions[e.key.toLowerCase()] ?? actions[e.key];
    if (!run) return;
    e.preventDefault();
    run();
}

function wire(): void {
    $<HTMLFormElement>('sign-in').addEventListener('submit', (e) => {
        e.preventDefault();
        askForNotifications();
        token = $<HTMLInputElement>('token').value.trim();
        void startDesk();
    });
    $<HTMLFormElement>('sign-in-password').addEventListener('submit', (e) => {
        e.preventDefault();
        void signInWithPassword($<HTMLInputElement>('account-name').value.trim(), $<HTMLInputElement>('account-password').value);
    });
    $('sign-out').addEventListener('click', () => void signOut());
    $('presence').addEventListener('change', () => {
        const status = $<HTMLSelectElement>('presence').value;
        api('PUT', '/api/agents/me/presence', { status }).catch((error: unknown) => showError('切换在线状态', error));
    });
    $('help-open').addEventListener('click', () => toggleHelp(true));
    $('help-close').addEventListener('click', () => toggleHelp(false));
    $('accept').addEventListener('click', () => void accept());
    $('release').addEventListener('click', () => void release());
    $('release-next').addEventListener('click', () => void releaseAndNext());
    $('queue-more').addEventListener('click', () => void loadMoreQueued().catch((error: unknown) => showError('加载更多', error)));
    const reply = $<HTMLTextAreaElement>('reply');
    reply.addEventListener('input', () => {
        cannedIndex = 0;
        renderCanned();
    });
    reply.addEventListener('keydown', onReplyKey);
    reply.addEventListener('blur', () => {
        $('canned').hidden = true;
    });
    $<HTMLFormElement>('reply-form').addEventListener('submit', (e) => {
        e.preventDefault();
        const text = reply.value.trim();
        const id = openId;
        if (!text || !id) return;
        // The text stays in the box until the server took it: a failed send loses nothing.
        void act('发送消息', async () => {
            await api('POST', `/api/handoffs/${encodeURIComponent(id)}/messages`, { text });
            if (reply.value.trim() === text) reply.value = '';
        });
    });
    $<HTMLFormElement>('note-form').addEventListener('submit', (e) => {
        e.preventDefault();
        const box = $<HTMLTextAreaElement>('note');
        const text = box.value.trim();
        const id = openId;
        if (!text || !id) return;
        void act('添加备注', async () => {
            await api('POST', `/api/handoffs/${encodeURIComponent(id)}/notes`, { text });
            box.value = '';
        });
    });
    $<HTMLFormElement>('transfer-form').addEventListener('submit', (e) => {
        e.preventDefault();
        const id = openId;
        const to = $<HTMLSelectElement>('transfer-to').value;
        const note = $<HTMLTextAreaElement>('transfer-note').value.trim();
        if (!id || !to) return;
        void act('转交', async () => {
            await api('POST', `/api/handoffs/${encodeURIComponent(id)}/transfer`, { to, ...(note ? { note } : {}) });
            $<HTMLTextAreaElement>('transfer-note').value = '';
        });
    });
    $<HTMLFormElement>('ticket-create').addEventListener('submit', (e) => {
        e.preventDefault();
        const id = openId;
        if (!id) return;
        const value = (field: string) => $<HTMLInputElement>(field).value.trim();
        const contact = { ...(value('ticket-contact') ? { name: value('ticket-contact') } : {}), ...(value('ticket-phone') ? { phone: value('ticket-phone') } : {}) };
        void act('新建工单', async () => {
            const ticket = await api<Ticket>('POST', '/api/tickets', {
                kind: value('ticket-kind'),
                category: value('ticket-category'),
                conversationId: id,
                description: value('ticket-description'),
                ...(value('ticket-location') ? { location: value('ticket-location') } : {}),
                ...(value('ticket-request') ? { request: value('ticket-request') } : {}),
                ...(Object.keys(contact).length ? { contact } : {}),
            });
            notice('alerts', `已新建工单 ${ticket.id}`, 'ticket-created');
        });
    });
    $('ticket-status').addEventListener('change', () => {
        ticketChoicePending = true;
    });
    $('ticket-save').addEventListener('click', () => {
        if (!openTicket) return;
        const current = openTicket;
        const status = $<HTMLSelectElement>('ticket-status').value;
        const department = $<HTMLInputElement>('ticket-department').value.trim();
        const noteBox = $<HTMLTextAreaElement>('ticket-note');
        const note = noteBox.value.trim();
        // Only what changed: the same status again would be an illegal move.
        const patch = {
            ...(status !== current.status ? { status } : {}),
            ...(department && department !== (current.department ?? '') ? { department } : {}),
            ...(note ? { note } : {}),
        };
        if (Object.keys(patch).length === 0) return;
        // Refused or not, the select shows the ticket's real status afterwards.
        ticketChoicePending = false;
        void act('更新工单', async () => {
            await api<Ticket>('PATCH', `/api/tickets/${encodeURIComponent(current.id)}`, patch);
            noteBox.value = '';
        });
    });
    document.addEventListener('keydown', onKey);
    setInterval(tick, 1000);
    // Rows move on (offers, escalations) even when the feed is quiet.
    setInterval(() => {
        if (me.name && !$('desk').hidden) void refreshQueue().catch(() => undefined);
    }, 15_000);
    if (token) void startDesk();
}

wire();
