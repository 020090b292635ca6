import type { Next, Request, Response } from 'restify';
import type { z } from 'zod';
import type { StaffAuth } from './StaffAuth';

/** Every error the HTTP API gives: a status and `{ error, reason }`. */
export function sendError(res: Response, status: number, error: string, reason: string): void {
    res.status(status);
    res.json({ error, reason });
}

/** A zod error as one line naming each field ("conversation.id: Required; …"). */
export function describeIssues(error: z.ZodError): string {
    return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/** The staff member behind the request's bearer token; without one, answers 401 and returns null. */
export function staffName(auth: StaffAuth, req: Request, res: Response): string | null {
    const name = auth.authenticate(req.headers.authorization);
    if (!name) sendError(res, 401, 'unauthorized', 'a valid Authorization: Bearer <token> is required');
    return name;
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
