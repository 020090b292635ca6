// The owner page: Microsoft's stock Web Chat over Linli's own Direct Line. The page asks /chat/token for a token
// (the resume cookie, HttpOnly, proves it is the same browser), keeps only the conversation id, and lets Microsoft's
// client do the rest: it opens the conversation with a stream from the start (so a reload shows the history again)
// and resumes a dropped socket by itself. Two things are Linli's own: Linli's words are laid out for Markdown (a
// statute quote in its own paragraph), and the owner's words are always plain text, never Markdown or HTML.

// A module (loaded with type="module"), so its names stay apart from the agent console's compiled beside it.
export {};

/** The parts of an activity this page reads or sets. */
interface Activity {
    type: string;
    text?: string;
    textFormat?: string;
    from?: { id?: string; role?: string };
    attachments?: { contentType?: string; contentUrl?: string; thumbnailUrl?: string }[];
    channelData?: { linli?: { persona?: string } };
}

interface Action {
    type: string;
    payload?: { activity?: Activity };
}

type Dispatch = (action: Action) => unknown;
type StoreMiddleware = (store: { dispatch: Dispatch }) => (next: Dispatch) => Dispatch;

/** Microsoft's Direct Line client as Web Chat creates it; only its status is watched here. */
interface DirectLine {
    connectionStatus$: { subscribe(observer: (status: number) => void): unknown };
}

interface WebChatGlobal {
    createDirectLine(options: { token: string; domain: string; webSocket: boolean }): DirectLine;
    createStore(initialState: Record<string, never>, ...middleware: StoreMiddleware[]): unknown;
    renderWebChat(props: Record<string, unknown>, element: HTMLElement): void;
}

/** botframework-directlinejs's ConnectionStatus: Online, and a token that expired (the tab slept past its life). */
const ONLINE = 2;
const EXPIRED_TOKEN = 3;

/** The only thing the page keeps: which conversation this browser is in (the token never leaves memory). */
const CONVERSATION_KEY = 'linli.chat.conversationId';
/** The owner's choice of large text, so it holds on the next visit. */
const LARGE_TEXT_KEY = 'linli.chat.largeText';

const LINLI_GREEN = '#2f6f4f';
const FONTS = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

/** Linli's look: its green, its initial, timestamps, suggested actions as buttons. */
const STANDARD_STYLE = {
    accent: LINLI_GREEN,
    primaryFont: FONTS,
    botAvatarInitials: '邻',
    botAvatarBackgroundColor: LINLI_GREEN,
    userAvatarInitials: '我',
    userAvatarBackgroundColor: '#9aa5b1',
    avatarSize: 32,
    bubbleBackground: '#eef6f1',
    bubbleBorderColor: '#d5e8dc',
    bubbleBorderRadius: 10,
    bubbleFromUserBackground: LINLI_GREEN,
    bubbleFromUserBorderColor: LINLI_GREEN,
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderRadius: 10,
    // A phone is 375 px wide: the default 250 px minimum with avatars and padding would scroll sideways.
    bubbleMinWidth: 0,
    bubbleMaxWidth: 560,
    suggestedActionLayout: 'flow',
    suggestedActionBackgroundColor: '#ffffff',
    suggestedActionBorderColor: LINLI_GREEN,
    suggestedActionTextColor: LINLI_GREEN,
    suggestedActionBorderRadius: 16,
    timestampFormat: 'absolute',
    // A time under each run of messages within a minute (false would hide them all).
    groupTimestamp: 60_000,
    sendBoxButtonColor: LINLI_GREEN,
    uploadAccept: 'image/jpeg,image/png,image/gif,image/webp',
    uploadMultiple: false,
    // Markdown yes (Linli's paragraphs), HTML never: whatever a message holds is shown, not run or drawn.
    markdownRenderHTML: false,
};

/** Large text and a plain layout: no avatars, full-width bubbles, one big button per suggestion. */
const LARGE_TEXT_STYLE = {
    ...STANDARD_STYLE,
    botAvatarInitials: undefined,
    userAvatarInitials: undefined,
    bubbleMaxWidth: 2000,
    bubbleMinHeight: 56,
    fontSizeSmall: '90%',
    suggestedActionLayout: 'stacked',
    suggestedActionHeight: 56,
    suggestedActionBorderRadius: 8,
    sendBoxHeight: 64,
    sendBoxButtonShadeColor: '#e6f4ea',
};

const webChat = (window as unknown as { WebChat: WebChatGlobal }).WebChat;
const container = element('webchat');
const largeTextButton = element('large-text');
const offer = element('large-text-offer');
const styleNonce = document.querySelector<HTMLMetaElement>('meta[name="linli-style-nonce"]')?.content ?? '';

let largeText = localStorage.getItem(LARGE_TEXT_KEY) === '1';
let props: Record<string, unknown> = {};

function element(id: string): HTMLElement {
    const found = document.getElementById(id);
    if (!found) throw new Error(`#${id} is missing from the page`);
    return found;
}

/** Markdown joins lines that a single newline separates: each of Linli's lines becomes its own paragraph. */
function paragraphs(text: string): string {
    return text.replace(/\r\n?/g, '\n').replace(/\n+/g, '\n\n');
}

/**
 * Web Chat draws an owner's own upload as a photo only while it has a thumbnail (its local preview); Linli's copy
 * comes back without one and would turn into a download link. The stored image is its own thumbnail.
 */
function showOwnPhotos(activity: Activity): void {
    for (const attachment of activity.attachments ?? []) {
        if (attachment.contentType?.startsWith('image/') && attachment.contentUrl && !attachment.thumbnailUrl) attachment.thumbnailUrl = attachment.contentUrl;
    }
}

/**
 * Formats only Linli's own words (role bot) for Markdown, marks the owner's as plain text (before they are sent and
 * when they come back), and offers large text when Linli has recognised an elderly owner.
 */
const linliMiddleware: StoreMiddleware = () => (next) => (action) => {
    const activity = action.payload?.activity;
    if (activity?.type === 'message') {
        if (action.type === 'DIRECT_LINE/POST_ACTIVITY') activity.textFormat = 'plain';
        if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
            if (activity.from?.role === 'bot') {
                if (typeof activity.text === 'string' && activity.textFormat !== 'plain') activity.text = paragraphs(activity.text);
                if (activity.channelData?.linli?.persona === 'elderly' && !largeText) offer.hidden = false;
            } else {
                activity.textFormat = 'plain';
                showOwnPhotos(activity);
            }
        }
    }
    return next(action);
};

function applyLargeText(): void {
    document.body.classList.toggle('large-text', largeText);
    largeTextButton.setAttribute('aria-pressed', String(largeText));
    if (largeText) offer.hidden = true;
    // Rendering again with new props keeps the same store and connection: nothing is fetched or shown twice.
    if (props.directLine) webChat.renderWebChat({ ...props, styleOptions: largeText ? LARGE_TEXT_STYLE : STANDARD_STYLE }, container);
}

/** A token for this browser's conversation, or for a new one when there is none (or it ended, or is not ours). */
async function chatToken(): Promise<{ conversationId: string; token: string }> {
    const kept = localStorage.getItem(CONVERSATION_KEY);
    if (kept) {
        const resumed = await requestToken({ conversationId: kept });
        if (resumed.ok) return (await resumed.json()) as { conversationId: string; token: string };
        // 403 (another browser's) or 404 (ended): start afresh; anything else is a real failure.
        if (resumed.status !== 403 && resumed.status !== 404) throw new Error(`chat token: HTTP ${resumed.status}`);
        localStorage.removeItem(CONVERSATION_KEY);
    }
    const fresh = await requestToken({});
    if (!fresh.ok) throw new Error(`chat token: HTTP ${fresh.status}`);
    const body = (await fresh.json()) as { conversationId: string; token: string };
    localStorage.setItem(CONVERSATION_KEY, body.conversationId);
    return body;
}

function requestToken(body: { conversationId?: string }): Promise<Response> {
    return fetch('/chat/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
}

async function start(): Promise<void> {
    const { token } = await chatToken();
    const directLine = webChat.createDirectLine({ token, domain: `${location.origin}/v3/directline`, webSocket: true });
    let wasOnline = false;
    directLine.connectionStatus$.subscribe((status) => {
        if (status === ONLINE) wasOnline = true;
        // Microsoft's client cannot refresh a token that expired while the tab slept: resume through the cookie.
        if (status === EXPIRED_TOKEN && wasOnline) location.reload();
    });
    props = {
        directLine,
        store: webChat.createStore({}, linliMiddleware),
        locale: 'zh-CN',
        nonce: styleNonce,
    };
    applyLargeText();
}

largeTextButton.addEventListener('click', () => {
    largeText = !largeText;
    localStorage.setItem(LARGE_TEXT_KEY, largeText ? '1' : '0');
    applyLargeText();
});

applyLargeText();
start().catch(() => {
    element('cannot-connect').hidden = false;
});
