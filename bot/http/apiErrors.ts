import type { Next, Request, Response } from 'restify';
import type { z } from 'zod';
import type { StaffAuth } from './StaffAuth';
import { hasRole, type StaffMember, type StaffRole } from '../staff/StaffAccount';

/** Every error the HTTP API gives: a status and `{ error, reason }`. */
export function sendError(res: Response, status: number, error: string, reason: string): void {
    res.status(status);
    res.json({ error, reason });
}

/** A zod error as one line naming each field ("conversation.id: Required; …"). */
export function describeIssues(error: z.ZodError): string {
    return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/**
 * The staff member behind the request's bearer token, if their account holds one of `roles` (any account when none are
 * given); otherwise answers 401 (no valid token) or 403 (the role is missing) and returns null.
 */
export async function staffMember(auth: StaffAuth, req: Request, res: Response, roles: readonly StaffRole[] = []): Promise<StaffMember | null> {
    const member = await auth.identify(req);
    if (!member) {
        sendError(res, 401, 'unauthorized', 'a valid Authorization: Bearer <token> is required');
        return null;
    }
    if (roles.length > 0 && !hasRole(member.account, roles)) {
        sendError(res, 403, 'forbidden', `this needs the ${roles.join(' or ')} role, which account ${member.account.name} does not hold`);
        return null;
    }
    return member;
}

/** The name of the staff member behind the request, with one of `roles`; otherwise answers 401/403 and returns null. */
export async function staffName(auth: StaffAuth, req: Request, res: Response, roles: readonly StaffRole[] = []): Promise<string | null> {
    return (await staffMember(auth, req, res, roles))?.account.name ?? null;
}

/**
 * Answers an error and ends the chain. When the request's body is still on its way, the connection is closed after
 * the answer: otherwise Node would read (and throw away) the rest of it to keep the connection alive, however large.
 */
export function refuse(req: Request, res: Response, next: Next, status: number, error: string, reason: string): void {
    if (!req.complete) res.setHeader('Connection', 'close');
    sendError(res, status, error, reason);
    next(false);
}
