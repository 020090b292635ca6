import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity, CloudAdapter } from 'botbuilder';
import { loadConfig } from '../../bot/config';
import { createCloudAdapter } from '../../bot/createCloudAdapter';
import { Linli, type LinliOptions } from '../../bot/Linli';
import { createLogger } from '../../bot/logger';
import { makeServer } from '../../bot/server';
import { attachWeChat } from '../../bot/composition/attachWeChat';

export interface TestServer {
    url: string;
    linli: Linli;
    adapter: CloudAdapter;
    dataDir: string;
    close(): Promise<void>;
}

/** Starts the real HTTP server in this process on a random port. */
export async function startTestServer(env: Record<string, string> = {}, options: LinliOptions = {}, logTo?: Writable): Promise<TestServer> {
    const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'linli-e2e-'));
    const config = loadConfig({ LOG_LEVEL: 'silent', ...env, DATA_DIR: dataDir, PORT: '0' });
    const logger = createLogger(config.LOG_LEVEL, logTo);
    const linli = await Linli.create(config, logger, options);
    const adapter = linli.attach(createCloudAdapter(config, logger));
    const wechat = attachWeChat(linli, config, logger);
    const server = makeServer({ linli, adapter, logger, wechat, staffRatePerMinute: config.AGENT_API_RATE_PER_MINUTE, trustProxy: config.TRUST_PROXY, config });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        linli,
        adapter,
        dataDir,
        close: async () => {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await linli.close();
        },
    };
}

export interface Turn {
    status: number;
    activities: Partial<Activity>[];
}

let counter = 0;

/** One owner message with expectReplies, as the Emulator would send it. */
export async function say(
    url: string,
    text: string,
    opts: { conversationId?: string; userId?: string; channelId?: string; channelData?: unknown; serviceUrl?: string } = {},
): Promise<Turn> {
    counter += 1;
    const body = {
        type: 'message',
        id: `m${counter}`,
        channelId: opts.channelId ?? 'emulator',
        serviceUrl: opts.serviceUrl ?? 'http://127.0.0.1:1',
        deliveryMode: 'expectReplies',
        conversation: { id: opts.conversationId ?? 'conv-1' },
        from: { id: opts.userId ?? 'owner-1', role: 'user' },
        recipient: { id: 'linli', role: 'bot' },
        text,
        ...(opts.channelData ? { channelData: opts.channelData } : {}),
    };
    const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as { activities?: Partial<Activity>[] };
    return { status: res.status, activities: json.activities ?? [] };
}

export function texts(turn: Turn): string[] {
    return turn.activities.filter((a) => a.type === 'message').map((a) => a.text ?? '');
}

export interface NluTrace {
    intent: string;
    sub: string | null;
    confidence: number;
    persona: string;
    emotion: string;
    escalate: boolean;
    escalationReason: string | null;
    escalationRule?: string | null;
    entities?: Record<string, unknown>;
}

export function nlu(turn: Turn): NluTrace | undefined {
    return turn.activities.find((a) => a.type === 'trace' && a.name === 'linli.nlu')?.value as NluTrace | undefined;
}
