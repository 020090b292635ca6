import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Azure's token life: Microsoft's client refreshes every 15 minutes and gives up on a 403, so shorter breaks it. */
export const TOKEN_SECONDS = 1800;
/** The streamUrl's own credential: long enough to open the socket, useless soon after. */
export const STREAM_SECONDS = 60;

const Claims = z.object({
    /** `t` a conversation token, `s` a stream credential. */
    k: z.enum(['t', 's']),
    c: z.string().min(1),
    u: z.string().min(1),
    /** Expiry, epoch milliseconds. */
    x: z.number().int(),
    n: z.string(),
});
export type Claims = z.infer<typeof Claims>;

export type Verdict = { ok: true; claims: Claims } | { ok: false; status: 401 | 403; reason: string };

/**
 * Direct Line credentials: `base64url(claims).base64url(HMAC-SHA256(secret, claims))`, bound to one conversation
 * and one owner id. Stateless, so every instance sharing DIRECT_LINE_SECRET accepts every other's.
 */
export class DirectLineTokens {
    private readonly key: Buffer;
    /** The secret's digest, compared against each bearer's (equal lengths, so timingSafeEqual applies). */
    private readonly secretDigest: Buffer;

    constructor(
        secret: string,
        private readonly now: () => number = Date.now,
    ) {
        // A key of its own, so a token's signature never reveals anything about the secret sent by the estate's server.
        this.key = createHmac('sha256', secret).update('linli direct line tokens').digest();
        this.secretDigest = createHmac('sha256', this.key).update(secret).digest();
    }

    issue(kind: 't' | 's', conversationId: string, ownerId: string): { token: string; expiresIn: number } {
        const seconds = kind === 't' ? TOKEN_SECONDS : STREAM_SECONDS;
        const claims: Claims = { k: kind, c: conversationId, u: ownerId, x: this.now() + seconds * 1000, n: randomUUID().slice(0, 8) };
        const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
        return { token: `${body}.${this.sign(body)}`, expiresIn: seconds };
    }

    /** Whether `bearer` is the site secret itself (compared in constant time). */
    isSecret(bearer: string): boolean {
        return timingSafeEqual(createHmac('sha256', this.key).update(bearer).digest(), this.secretDigest);
    }

    /** 403 for anything signed wrongly or expired, or of the other kind; 401 only for what is not a credential at all. */
    verify(credential: string, kind: 't' | 's'): Verdict {
        const dot = credential.indexOf('.');
        if (dot <= 0 || dot !== credential.lastIndexOf('.')) return { ok: false, status: 403, reason: 'the credential is not a token Linli issued' };
        const body = credential.slice(0, dot);
        const signature = Buffer.from(credential.slice(dot + 1), 'base64url');
        const expected = Buffer.from(this.sign(body), 'base64url');
        if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return { ok: false, status: 403, reason: 'the token is not signed by this site' };
        let parsed: z.ZodSafeParseResult<Claims>;
        try {
            parsed = Claims.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
        } catch {
            return { ok: false, status: 403, reason: 'the token is not readable' };
        }
        if (!parsed.success || parsed.data.k !== kind) return { ok: false, status: 403, reason: 'the token is of another kind' };
        if (parsed.data.x <= this.now()) return { ok: false, status: 403, reason: 'the token has expired' };
        return { ok: true, claims: parsed.data };
    }

    private sign(body: string): string {
        return createHmac('sha256', this.key).update(body).digest('base64url');
    }
}
