import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens from AGENT_TOKENS (name:token pairs). Tokens are compared as SHA-256 digests with timingSafeEqual,
 * so neither their content nor their length leaks through timing; they are never logged.
 */
export class ConfiguredTokens {
    private readonly digests: { digest: Buffer; name: string }[];

    constructor(tokens: Map<string, string>) {
        this.digests = [...tokens.entries()].map(([token, name]) => ({ digest: sha256(token), name }));
    }

    /** The configured names, in the order given. */
    get names(): string[] {
        return [...new Set(this.digests.map((d) => d.name))];
    }

    /** The staff member's name for a token, or null. */
    nameOf(token: string): string | null {
        const presented = sha256(token);
        let name: string | null = null;
        // Compare against every token, whatever matches, so the time taken does not say which one did.
        for (const entry of this.digests) if (timingSafeEqual(entry.digest, presented)) name = entry.name;
        return name;
    }
}

function sha256(value: string): Buffer {
    return createHash('sha256').update(value).digest();
}
