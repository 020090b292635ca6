/** Every error the HTTP API gives: a status and `{ error, reason }`. */
export function sendError(res, status, error, reason) {
    res.status(status);
    res.json({ error, reason });
}
/** A zod error as one line naming each field ("conversation.id: Required; …"). */
export function describeIssues(error) {
    return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}
/** The staff member behind the request's bearer token; without one, answers 401 and returns null. */
export function staffName(auth, req, res) {
    const name = auth.authenticate(req.headers.authorization);
    if (!name)
        sendError(res, 401, 'unauthorized', 'a valid Authorization: Bearer <token> is required');
    return name;
}
/**
 * Answers an error and ends the chain. When the request's body is still on its way, the connection is closed after
 * the answer: otherwise Node would read (and throw away) the rest of it to keep the connection alive, however large.
 */
export function refuse(req, res, next, status, error, reason) {
    if (!req.complete)
        res.setHeader('Connection', 'close');
    sendError(res, status, error, reason);
    next(false);
}
