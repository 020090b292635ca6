// What the supervisors' pages (/reports and /supervisor) share: the labels kept in the page (#labels), element
// helpers, and signing in with a staff token kept for the browser session, so one sign-in opens both pages.

const TOKEN_KEY = 'linli.staff.token';

const labels = new Map<string, string>();
document.querySelectorAll('#labels dt').forEach((dt) => {
    const dd = dt.nextElementSibling;
    if (dt.textContent && dd?.textContent) labels.set(dt.textContent, dd.textContent);
});
export const label = (key: string): string => labels.get(key) ?? key;

export function byId<T extends HTMLElement>(id: string): T {
    const el = document.getElementById(id);
    if (!el) throw new Error(`missing #${id}`);
    return el as T;
}

export function element(tag: string, text?: string, className?: string): HTMLElement {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    return el;
}

let token = sessionStorage.getItem(TOKEN_KEY) ?? '';

export async function api(path: string): Promise<Response> {
    return fetch(path, { headers: { authorization: `Bearer ${token}` } });
}

/**
 * Wires the page's sign-in form (#sign-in, #token, #sign-in-error, #who): a token the server knows shows the section
 * `main` and runs `ready`; a kept token signs in at once.
 */
export function signInThen(main: string, ready: () => Promise<void>): void {
    const signIn = async (candidate: string): Promise<void> => {
        token = candidate;
        const me = await api('/api/staff/me');
        const body = (await me.json().catch(() => ({}))) as { name?: string };
        if (me.status !== 200 || !body.name) {
            byId('sign-in-error').textContent = label('badToken');
            return;
        }
        sessionStorage.setItem(TOKEN_KEY, token);
        byId('who').textContent = body.name;
        byId('sign-in').hidden = true;
        byId(main).hidden = false;
        await ready();
    };
    byId('sign-in').addEventListener('submit', (event) => {
        event.preventDefault();
        void signIn(byId<HTMLInputElement>('token').value.trim());
    });
    if (token) void signIn(token);
}
