import { z } from 'zod';

/**
 * The whole process configuration. The environment is read here and nowhere else, parsed once at start-up;
 * a bad value stops start-up with one line that names the variable (see `ConfigError`).
 */
const emptyToUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const intInRange = (min: number, max: number, fallback: number) =>
    z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const agentTokens = z.preprocess(
    emptyToUndefined,
    z
        .string()
        .optional()
        .transform((raw, ctx) => {
            const tokens = new Map<string, string>();
            if (!raw) return tokens;
            for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
                const at = pair.indexOf(':');
                const name = pair.slice(0, at).trim();
                const token = pair.slice(at + 1).trim();
                if (at <= 0 || token.length < 16) {
                    ctx.addIssue({ code: 'custom', message: 'expected name:token pairs, each token at least 16 characters' });
                    return z.NEVER;
                }
                tokens.set(token, name);
            }
            return tokens;
        }),
);

/** A host name, `*.` and a domain, or an IPv6 address in brackets (as URL.hostname spells it). */
const HOST_PATTERN = /^(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*$|^\[[0-9a-f:.]+\]$/;

/** Loopback, and the serviceUrl hosts of Azure Bot Service (public, US government, China; Teams' own included). */
export const DEFAULT_SERVICE_URL_ALLOWLIST = [
    'localhost',
    '127.0.0.1',
    '[::1]',
    '*.botframework.com',
    'smba.trafficmanager.net',
    'smba.infra.gcc.teams.microsoft.com',
    'smba.infra.gov.teams.microsoft.us',
    'smba.infra.dod.teams.microsoft.us',
    '*.botframework.azure.us',
    '*.botframework.azure.cn',
].join(',');

export const ConfigSchema = z
    .object({
        PORT: intInRange(0, 65535, 3978),
        HOST: z.preprocess(emptyToUndefined, z.string().min(1).default('127.0.0.1')),
        DATA_DIR: z.preprocess(emptyToUndefined, z.string().min(1).default('./data')),
        REDIS_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^rediss?$/ }).optional()),
        REDIS_KEY_PREFIX: z.preprocess(emptyToUndefined, z.string().min(1).default('linli:')),
        CONVERSATION_TTL_SECONDS: intInRange(60, 365 * 24 * 3600, 30 * 24 * 3600),
        TURN_LOCK_TIMEOUT_MS: intInRange(100, 120_000, 15_000),
        MAX_MESSAGE_CHARS: intInRange(1, 100_000, 2000),
        FOLLOW_UP_POLL_SECONDS: intInRange(1, 3600, 60),
        /** A priority 3–5 handoff nobody accepts within this becomes a call-back ticket, and the owner is told. */
        HANDOFF_ACCEPT_TIMEOUT_SECONDS: intInRange(10, 24 * 3600, 300),
        /** The wait an owner is told: this many minutes per owner ahead in the queue (and for the first). */
        HANDOFF_MINUTES_PER_OWNER: intInRange(1, 120, 3),
        /** How often unaccepted handoffs are checked against the timeout. */
        HANDOFF_POLL_SECONDS: intInRange(1, 3600, 15),
        /** A priority-1/2 handoff nobody accepts within this is escalated to every console (and logged); it stays queued. */
        HANDOFF_URGENT_ESCALATE_SECONDS: intInRange(1, 3600, 60),
        /** An owner in danger waiting for a person hears the safety steps again this often ("every few minutes"). */
        HANDOFF_SAFETY_REMINDER_SECONDS: intInRange(1, 3600, 180),
        /** How long a handoff offered to one agent waits for their accept before it is offered to the next. */
        HANDOFF_OFFER_SECONDS: intInRange(1, 3600, 30),
        /** A staff session (POST /api/sessions) lasts this long: one shift with room to spare. */
        STAFF_SESSION_HOURS: intInRange(1, 24 * 30, 12),
        /** The live feed writes a heartbeat this often (proxies keep the stream open) and records the agent as seen. */
        STAFF_HEARTBEAT_SECONDS: intInRange(1, 60, 15),
        /** An agent whose console sent no heartbeat for this long is away: four missed heartbeats, not one slow one. */
        STAFF_AWAY_SECONDS: intInRange(2, 3600, 60),
        /** Agent API requests per token (or per address without one) per minute; beyond it, 429. */
        AGENT_API_RATE_PER_MINUTE: intInRange(1, 100_000, 600),
        /**
         * Linli runs behind one reverse proxy: the staff rate limit counts the client by the right-most
         * X-Forwarded-For entry (the one the proxy appended). Off by default, since without a proxy any client could
         * name its own address.
         */
        TRUST_PROXY: z.preprocess(emptyToUndefined, z.stringbool().default(false)),
        /**
         * Hosts Linli may send to (an activity's serviceUrl): comma-separated patterns, `*.example.com` for any
         * subdomain. Anything else is refused before the adapter runs, so a client can not make Linli POST to an address
         * of its choosing. The default is loopback and the hosts Azure Bot Service gives as serviceUrl.
         */
        SERVICE_URL_ALLOWLIST: z.preprocess(
            emptyToUndefined,
            z
                .string()
                .default(DEFAULT_SERVICE_URL_ALLOWLIST)
                .transform((raw) => raw.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean))
                .pipe(z.array(z.string().regex(HOST_PATTERN, 'expected host patterns such as *.botframework.com or 127.0.0.1')).min(1)),
        ),
        /**
         * A send to the owner's channel (a reply or a proactive message) that has no answer within this has failed:
         * channels answer in well under a second, and a staff action must not wait on one that does not answer.
         */
        CHANNEL_SEND_TIMEOUT_MS: intInRange(100, 60_000, 3000),
        MICROSOFT_APP_ID: optionalString,
        MICROSOFT_APP_PASSWORD: optionalString,
        MICROSOFT_APP_TENANT_ID: optionalString,
        MICROSOFT_APP_TYPE: z.preprocess(
            emptyToUndefined,
            z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
        ),
        /**
         * Where the signing keys of channel and Emulator tokens are published (OpenID metadata). Bot Framework's own
         * documents by default; set only for a private cloud, or by tests (a loopback stand-in).
         */
        BOT_OPENID_METADATA_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
        EMULATOR_OPENID_METADATA_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
        AGENT_TOKENS: agentTokens,
        /** The Official Account's server token (公众号 → 基本配置 → 令牌): signs every request WeChat sends. Unset: no WeChat channel. */
        WECHAT_TOKEN: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'expected 3–32 letters or digits, as WeChat allows').optional()),
        /** The Official Account's AppID: the trailer of every decrypted message must equal it. */
        WECHAT_APP_ID: z.preprocess(emptyToUndefined, z.string().regex(/^wx[0-9a-zA-Z]{16}$/, 'expected wx followed by 16 letters or digits').optional()),
        /** The AppSecret, for the access token of the customer-service API. Never logged. */
        WECHAT_APP_SECRET: optionalString,
        /** EncodingAESKey: needed for compatible and safe mode; without it, a request claiming aes is refused (400). */
        WECHAT_ENCODING_AES_KEY: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9]{43}$/, 'expected 43 letters or digits').optional()),
        /** WeChat's API; tests point it at a loopback stand-in. */
        WECHAT_API_BASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).default('https://api.weixin.qq.com')),
        /**
         * How long a turn may take and still be answered passively: WeChat waits 5 s for the answer, so 4 s leaves a
         * second for the network; later answers go as customer-service messages.
         */
        WECHAT_REPLY_BUDGET_MS: intInRange(50, 4500, 4000),
        /**
         * The Direct Line site secret (at least 32 characters, as hard to guess as a 192-bit key): it signs every web
         * chat token, and the estate's own server sends it to tokens/generate. Unset, web chat is off (404). Several
         * instances share it, so a token from one is good on all.
         */
        DIRECT_LINE_SECRET: z.preprocess(emptyToUndefined, z.string().min(32).optional()),
        /**
         * Where owners' browsers reach Linli (https://chat.example.com), for the absolute streamUrl; without it the
         * request's own host is used.
         */
        PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')).optional()),
        /** Origins (https://estate.example.com) whose pages may run Web Chat against Linli's Direct Line (CORS). */
        CHAT_ALLOWED_ORIGINS: z.preprocess(
            emptyToUndefined,
            z
                .string()
                .default('')
                .transform((raw) => raw.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
                .pipe(z.array(z.url({ protocol: /^https?$/ }))),
        ),
        /** New or resumed page tokens (POST /chat/token) per address per minute: a page asks once per load. */
        CHAT_TOKEN_RATE_PER_MINUTE: intInRange(1, 10_000, 30),
        LOG_LEVEL: z.preprocess(
            emptyToUndefined,
            z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        ),
    })
    .superRefine((cfg, ctx) => {
        if (cfg.MICROSOFT_APP_ID && !cfg.MICROSOFT_APP_PASSWORD && cfg.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
            ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: 'required when MICROSOFT_APP_ID is set' });
        }
        // The channel needs its AppID (the decrypt check and the token) and secret once it is switched on.
        for (const name of ['WECHAT_APP_ID', 'WECHAT_APP_SECRET'] as const) {
            if (cfg.WECHAT_TOKEN && !cfg[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when WECHAT_TOKEN is set' });
        }
    });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
    constructor(readonly variable: string, detail: string) {
        super(`Invalid configuration: ${variable} ${detail}`);
        this.name = 'ConfigError';
    }
}

/** Parses the given environment (the process's by default); throws `ConfigError` naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
    const parsed = ConfigSchema.safeParse(env);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const variable = issue ? String(issue.path[0] ?? 'environment') : 'environment';
    // Never echo the value: some variables are secrets.
    throw new ConfigError(variable, issue ? `— ${issue.message}` : 'is invalid');
}

/** True when tests run under CI, where a missing service must fail the run rather than skip. */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
    return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

/** The Redis URL for integration tests (tests and bench read it through here, not from process.env). */
export function testRedisUrl(env: Record<string, string | undefined> = process.env): string {
    return env.REDIS_URL && env.REDIS_URL !== '' ? env.REDIS_URL : 'redis://127.0.0.1:6379';
}

/** The seed of the fuzz test inside `npm test`: FUZZ_SEED replays a run that failed; unset, each run draws its own. */
export function testFuzzSeed(env: Record<string, string | undefined> = process.env): number | undefined {
    const seed = Number(env.FUZZ_SEED);
    return env.FUZZ_SEED && Number.isInteger(seed) ? seed : undefined;
}
