import type { z } from 'zod';

/**
 * Page cursors handed to API clients: the sort key of the last item on a page, as base64url JSON. Opaque to clients;
 * whatever comes back is checked against the key's schema, so a forged or truncated cursor is refused, never trusted.
 */
export function encodeCursor(position: object): string {
    return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor stands for, or null when it is not one this server could have given out. */
export function decodeCursor<T>(schema: z.ZodType<T>, cursor: string): T | null {
    if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) return null;
    try {
        const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
        return parsed.success ? parsed.data : null;
    } catch {
        return null;
    }
}
