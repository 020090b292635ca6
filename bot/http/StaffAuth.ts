import type { Request } from 'restify';
import type { StaffMember } from '../staff/StaffAccount';
import type { StaffDirectory } from '../staff/StaffDirectory';

/**
 * Who is behind a staff request: its bearer token (an AGENT_TOKENS token or a signed-in session's) looked up once per
 * request — the gate does it before any route runs, and the route reads the same answer.
 */
export class StaffAuth {
    private readonly seen = new WeakMap<Request, Promise<StaffMember | null>>();

    constructor(readonly directory: StaffDirectory) {}

    /** The token of an Authorization header (`Bearer`, any case, any spaces around), or null. */
    static bearerToken(header: string | undefined): string | null {
        return /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? null;
    }

    /** The staff member for the request's Authorization header, or null (the store's failure rejects). */
    identify(req: Request): Promise<StaffMember | null> {
        let answer = this.seen.get(req);
        if (!answer) {
            const token = StaffAuth.bearerToken(req.headers.authorization);
            answer = token ? this.directory.authenticate(token) : Promise.resolve(null);
            this.seen.set(req, answer);
        }
        return answer;
    }
}
