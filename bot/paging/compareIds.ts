/**
 * Compares ids byte by byte (UTF-8), as SQLite's BINARY collation and Redis's order of equal scores do, so a keyset
 * cursor means the same position in both stores.
 */
export function compareIds(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
