import { createHash, timingSafeEqual } from 'node:crypto';
/**
 * Bearer tokens from AGENT_TOKENS (name:token pairs). Tokens are compared as SHA-256 digests with timingSafeEqual,
 * so neither their content nor their length leaks through timing; they are never logged.
 */
export class StaffAuth {
    digests;
    constructor(tokens) {
        this.digests = [...tokens.entries()].map(([token, name]) => ({ digest: sha256(token), name }));
    }
    /** The token of an Authorization header (`Bearer`, any case, any spaces around), or null. */
    static bearerToken(header) {
        return /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? null;
    }
    /** The staff member's name for an Authorization header, or null. */
    authenticate(header) {
        const token = StaffAuth.bearerToken(header);
        if (!token)
            return null;
        const presented = sha256(token);
        let name = null;
        // Compare against every token, whatever matches, so the time taken does not say which one did.
        for (const entry of this.digests)
            if (timingSafeEqual(entry.digest, presented))
                name = entry.name;
        return name;
    }
}
function sha256(value) {
    return createHash('sha256').update(value).digest();
}
