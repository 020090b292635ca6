import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT as a channel would send it, signed with whatever key the test likes. */
export function signJwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
    const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

export function rsaKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
    return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** A loopback stand-in for the OpenID metadata document and its key set, publishing one RSA key. */
export class OpenIdStandIn {
    private server: Server | undefined;
    url = '';
    requests = 0;

    constructor(
        private readonly publicKey: KeyObject,
        private readonly kid: string,
    ) {}

    get metadataUrl(): string {
        return `${this.url}/.well-known/openidconfiguration`;
    }

    async start(): Promise<this> {
        const jwk = this.publicKey.export({ format: 'jwk' });
        this.server = createServer((req, res) => {
            this.requests += 1;
            res.writeHead(200, { 'content-type': 'application/json' });
            if (req.url?.startsWith('/keys')) res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e }] }));
            else res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${this.url}/keys` }));
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
