import { z } from 'zod';

/**
 * `limit` and `cursor` of the paged staff lists (contract, Agents and operators): 50 a page unless asked, at most
 * 200 so one request can not make the server read and render the whole store.
 */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

export const PageQuery = z.object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
    cursor: z.string().min(1).max(2048).optional(),
});

/** Said when a cursor does not decode to a position: it was forged, cut short, or belongs to another list. */
export const BAD_CURSOR = 'cursor: not a cursor this list gave out (pass nextCursor from the previous page unchanged)';
