import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback port that takes connections and never answers (a channel gone silent), and how many it took. */
export class SilentChannel {
    private server: Server | undefined;
    url = '';
    requests = 0;

    async start(): Promise<this> {
        this.server = createServer(() => {
            this.requests += 1;
        });
        await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise((resolve) => this.server?.close(resolve));
    }
}
