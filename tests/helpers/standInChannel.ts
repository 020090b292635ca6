import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivered {
    path: string;
    type?: string;
    name?: string;
    text?: string;
    value?: unknown;
}

export interface StandInOptions {
    /** Every answer comes this late (a slow channel). */
    delayMs?: number;
    /** Activity types the channel refuses (400), after the delay; nothing refused is recorded as delivered. */
    refuseTypes?: string[];
}

/** A stand-in for the owner's channel (the Bot Connector service) on loopback: it records what the bot sends it. */
export class StandInChannel {
    readonly delivered: Delivered[] = [];
    /** Activities refused (refuseTypes), in order. */
    readonly refused: Delivered[] = [];
    private server: Server | undefined;
    url = '';

    constructor(private readonly options: StandInOptions = {}) {}

    async start(): Promise<this> {
        this.server = createServer((req, res) => {
            let body = '';
            req.on('data', (c: Buffer) => (body += c.toString()));
            req.on('end', () => {
                const activity = JSON.parse(body || '{}') as Omit<Delivered, 'path'>;
                const seen = { path: req.url ?? '', type: activity.type, name: activity.name, text: activity.text, value: activity.value };
                setTimeout(() => {
                    if (activity.type && this.options.refuseTypes?.includes(activity.type)) {
                        this.refused.push(seen);
                        res.writeHead(400, { 'content-type': 'application/json' });
                        res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'refused by the stand-in' } }));
                        return;
                    }
                    this.delivered.push(seen);
                    res.writeHead(200, { 'content-type': 'application/json' });
                    res.end(JSON.stringify({ id: `sent-${this.delivered.length}` }));
                }, this.options.delayMs ?? 0);
            });
        });
        await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    /** What reached one conversation, in order. */
    to(conversationId: string): Delivered[] {
        return this.delivered.filter((d) => d.path.includes(`/v3/conversations/${encodeURIComponent(conversationId)}/`));
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise((resolve) => this.server?.close(resolve));
    }
}
