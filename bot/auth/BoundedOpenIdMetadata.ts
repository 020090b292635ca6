import { createPublicKey } from 'node:crypto';
// Not re-exported by the package's index; JwtTokenExtractor keeps one of these per metadata URL.
import { OpenIdMetadata, type IOpenIdMetadataKey } from 'botframework-connector/lib/auth/openIdMetadata';
import { z } from 'zod';
import type { Logger } from '../logger';

/** The whole fetch (metadata document, then its key set) gets this long: a request must be answered within 2 s. */
const FETCH_BUDGET_MS = 1500;
/** Keys are refetched this often (botframework-connector's own default), or sooner when a token names an unknown key. */
const REFRESH_MS = 24 * 3600_000;
/** At most one refetch for an unknown key id an hour (as botframework-connector does): forged ids must not drive fetches. */
const UNKNOWN_KEY_REFRESH_MS = 3600_000;
/** After a failed fetch, tokens are checked against the keys at hand (or refused) for this long before trying again. */
const RETRY_AFTER_FAILURE_MS = 10_000;
/** A failing fetch is logged once in this period, with how many failures the period had, not once a request. */
const LOG_EVERY_MS = 60_000;

const Metadata = z.object({ jwks_uri: z.string().url() });
const KeySet = z.object({
    keys: z.array(z.object({ kid: z.string().optional(), kty: z.string().optional(), n: z.string().optional(), e: z.string().optional(), endorsements: z.array(z.string()).optional() }).passthrough()),
});

interface SigningKey {
    pem: string;
    endorsements?: string[];
}

/**
 * botframework-connector's OpenID key cache, with the fetch bounded: the stock one waits on the network with no
 * limit, throws a non-authentication error when it fails (the request then answers 500), and tries again on every
 * request. Here a fetch takes at most 1.5 s and is shared by the requests waiting on it, a failure leaves the keys at
 * hand (or none: the token is refused, 401), is retried after a pause, and is logged once a minute.
 */
export class BoundedOpenIdMetadata extends OpenIdMetadata {
    private signingKeys = new Map<string, SigningKey>();
    private loadedAt = 0;
    private failedAt = 0;
    private refreshing: Promise<void> | undefined;
    private failuresSinceLog = 0;
    private loggedAt = 0;

    constructor(
        private readonly metadataUrl: string,
        private readonly logger: Logger,
        private readonly now: () => number = Date.now,
    ) {
        super(metadataUrl);
    }

    override async getKey(keyId: string): Promise<IOpenIdMetadataKey | null> {
        const age = this.now() - this.loadedAt;
        if (age > REFRESH_MS || (!this.signingKeys.has(keyId) && age > UNKNOWN_KEY_REFRESH_MS)) await this.refresh();
        const found = this.signingKeys.get(keyId);
        return found ? { key: found.pem, ...(found.endorsements ? { endorsements: found.endorsements } : {}) } : null;
    }

    private refresh(): Promise<void> {
        if (this.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return Promise.resolve();
        this.refreshing ??= this.fetchKeys()
            .then(
                (keys) => {
                    this.signingKeys = keys;
                    this.loadedAt = this.now();
                },
                (error: unknown) => this.failed(error),
            )
            .finally(() => (this.refreshing = undefined));
        return this.refreshing;
    }

    private async fetchKeys(): Promise<Map<string, SigningKey>> {
        const signal = AbortSignal.timeout(FETCH_BUDGET_MS);
        const metadata = Metadata.parse(await (await ok(fetch(this.metadataUrl, { signal }))).json());
        const keySet = KeySet.parse(await (await ok(fetch(metadata.jwks_uri, { signal }))).json());
        const keys = new Map<string, SigningKey>();
        for (const key of keySet.keys) {
            // RSA keys only, as botframework-connector accepts.
            if (!key.kid || !key.n || !key.e) continue;
            const pem = createPublicKey({ key: { kty: 'RSA', n: key.n, e: key.e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
            keys.set(key.kid, { pem, ...(key.endorsements ? { endorsements: key.endorsements } : {}) });
        }
        return keys;
    }

    private failed(error: unknown): void {
        this.failedAt = this.now();
        this.failuresSinceLog += 1;
        if (this.failedAt - this.loggedAt < LOG_EVERY_MS) return;
        this.logger.warn(
            { url: this.metadataUrl, failures: this.failuresSinceLog, reason: error instanceof Error ? error.message : String(error), keysAtHand: this.signingKeys.size },
            'token signing keys could not be fetched; tokens are checked against the keys at hand',
        );
        this.loggedAt = this.failedAt;
        this.failuresSinceLog = 0;
    }
}

async function ok(response: Promise<Response>): Promise<Response> {
    const res = await response;
    if (!res.ok) throw new Error(`${res.url} answered ${res.status}`);
    return res;
}
