import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How long the slow channel takes to accept an activity: long enough to outlast a turn's typing indicator. */
const SLOW_MS = 1500;

/**
 * The owner's channel as the fuzz plays it, on loopback: `/fast` accepts every activity at once, `/slow` after a
 * pause (a congested connector), `/fail` answers 500 with a body that is not JSON. Bodies are read and dropped.
 */
export class FuzzChannel {
    private server: Server | undefined;
    delivered = 0;
    url = '';

    async start(): Promise<this> {
        this.server = createServer((req, res) => {
            req.resume();
            req.on('end', () => {
                this.delivered++;
                const path = req.url ?? '';
                if (path.startsWith('/fail')) {
                    res.writeHead(500, { 'content-type': 'text/html' });
                    res.end('<html>upstream broke</html>');
                } else {
                    const answer = () => {
                        res.writeHead(200, { 'content-type': 'application/json' });
                        res.end(JSON.stringify({ id: `fuzz-${this.delivered}` }));
                    };
                    if (path.startsWith('/slow')) setTimeout(answer, SLOW_MS);
                    else answer();
                }
            });
        });
        await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    /** The serviceUrls activities may name. */
    serviceUrls(): string[] {
        return [`${this.url}/fast/`, `${this.url}/fast/`, `${this.url}/slow/`, `${this.url}/fail/`];
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise((resolve) => this.server?.close(resolve));
    }
}
