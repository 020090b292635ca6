/** Calls to the agent API with a staff token, as a console or a script would make them. */
export class AgentApi {
    constructor(
        private readonly url: string,
        private readonly token: string,
    ) {}

    async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
        const res = await fetch(`${this.url}${path}`, {
            method,
            headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    }

    /** Opens the live feed and collects its events until `close` is called. */
    async feed(): Promise<{ events: { type: string; data: Record<string, unknown> }[]; close: () => void }> {
        const controller = new AbortController();
        const res = await fetch(`${this.url}/api/handoffs/feed`, { headers: { authorization: `Bearer ${this.token}` }, signal: controller.signal });
        if (!res.ok || !res.body) throw new Error(`feed: HTTP ${res.status}`);
        const events: { type: string; data: Record<string, unknown> }[] = [];
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        void (async () => {
            for (;;) {
                const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
                if (done) return;
                buffer += value;
                let end: number;
                while ((end = buffer.indexOf('\n\n')) >= 0) {
                    const block = buffer.slice(0, end);
                    buffer = buffer.slice(end + 2);
                    const type = /^event: (.+)$/m.exec(block)?.[1];
                    const data = /^data: (.+)$/m.exec(block)?.[1];
                    if (type && data) events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
                }
            }
        })();
        return { events, close: () => controller.abort() };
    }
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 20));
    }
}
