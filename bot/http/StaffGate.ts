import { createHash } from 'node:crypto';
import type { Next, Request, RequestHandler, Response } from 'restify';
import { refuse } from './apiErrors';
import type { ClientAddress } from './ClientAddress';
import { RateLimiter } from './RateLimiter';
import { StaffAuth } from './StaffAuth';

/**
 * In front of every staff route, before any body is read: the rate limit, then the bearer token. An unauthenticated
 * request is answered 401 from its headers alone, so a huge body never gets read into memory.
 *
 * A valid token is counted by its digest (never the token), however the header is spelt (`bearer`, capitals,
 * spaces); a missing or wrong token is counted against the client's address, so guessing tokens from one address
 * meets 429 like any other flood. Token buckets are bounded by the configured tokens, address buckets by the
 * limiter's key cap.
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
        const header = req.headers.authorization;
        const staff = this.auth.authenticate(header);
        const token = StaffAuth.bearerToken(header);
        const [limiter, key] = staff && token ? [this.byToken, createHash('sha256').update(token).digest('hex')] : [this.byAddress, this.addresses.of(req)];
        if (!limiter.allow(key)) {
            res.setHeader('Retry-After', String(limiter.retryAfterSeconds()));
            return refuse(req, res, next, 429, 'too_many_requests', 'too many requests; try again shortly');
        }
        if (!staff) return refuse(req, res, next, 401, 'unauthorized', 'a valid Authorization: Bearer <token> is required');
        next();
    };
}
