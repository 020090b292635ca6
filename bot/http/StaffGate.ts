import { createHash } from 'node:crypto';
import type { Next, Request, RequestHandler, Response } from 'restify';
import { refuse } from './apiErrors';
import type { ClientAddress } from './ClientAddress';
import { RateLimiter } from './RateLimiter';
import { StaffAuth } from './StaffAuth';
import { StorageUnavailableError } from '../storage/StorageUnavailableError';

/** Signing in is the one staff route without a token: it is how one gets one. */
const SIGN_IN = /^\/api\/sessions\/?(?:\?|$)/;

/** Redis reconnects within ~2 s; a few seconds is an honest wait before trying again. */
const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * In front of every staff route, before any body is read: the rate limit, then the bearer token. An unauthenticated
 * request is answered 401 from its headers alone (and the session store), so a huge body never gets read into memory.
 *
 * A valid token is counted by its digest (never the token), however the header is spelt (`bearer`, capitals,
 * spaces); a missing or wrong token — and every sign-in — is counted against the client's address, so guessing tokens
 * or passwords from one address meets 429 like any other flood. Token buckets are bounded by the limiter's key cap,
 * like address buckets.
 */
export class StaffGate {
    private readonly byToken: RateLimiter;
    private readonly byAddress: RateLimiter;

    constructor(
        private readonly auth: StaffAuth,
        private readonly addresses: ClientAddress,
        ratePerMinute: number,
    ) {
        this.byToken = new RateLimiter(ratePerMinute);
        this.byAddress = new RateLimiter(ratePerMinute);
    }

    readonly handler: RequestHandler = (req: Request, res: Response, next: Next): void => {
        if (req.method === 'POST' && SIGN_IN.test(req.url ?? '')) {
            if (!this.byAddress.allow(this.addresses.of(req))) return this.tooMany(req, res, next, this.byAddress);
            return next();
        }
        this.auth.identify(req).then(
            (staff) => {
                const token = StaffAuth.bearerToken(req.headers.authorization);
                const [limiter, key] = staff && token ? [this.byToken, createHash('sha256').update(token).digest('hex')] : [this.byAddress, this.addresses.of(req)];
                if (!limiter.allow(key)) return this.tooMany(req, res, next, limiter);
                if (!staff) return refuse(req, res, next, 401, 'unauthorized', 'a valid Authorization: Bearer <token> is required');
                next();
            },
            (error: unknown) => {
                if (!(error instanceof StorageUnavailableError)) return next(error instanceof Error ? error : new Error(String(error)));
                res.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
                refuse(req, res, next, 503, 'store_unavailable', 'the store does not answer; try again shortly');
            },
        );
    };

    private tooMany(req: Request, res: Response, next: Next, limiter: RateLimiter): void {
        res.setHeader('Retry-After', String(limiter.retryAfterSeconds()));
        refuse(req, res, next, 429, 'too_many_requests', 'too many requests; try again shortly');
    }
}
