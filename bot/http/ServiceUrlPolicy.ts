/** Host names that reach this machine only. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for a HOST that binds loopback only (nobody outside this machine can reach it). */
export function isLoopbackHost(host: string): boolean {
    const h = host.trim().toLowerCase();
    return LOOPBACK.has(h) || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * Where Linli may send: the serviceUrl of an activity (and of every conversation reference later used to reach the
 * owner) must be http(s) on a host of SERVICE_URL_ALLOWLIST. Without it any client could name an address and have
 * Linli POST to it (and wait on it). Patterns are exact hosts, or `*.domain` for any subdomain of the domain.
 */
export class ServiceUrlPolicy {
    private readonly exact = new Set<string>();
    private readonly suffixes: string[] = [];

    constructor(patterns: readonly string[]) {
        for (const pattern of patterns.map((p) => p.trim().toLowerCase()).filter(Boolean)) {
            if (pattern.startsWith('*.')) this.suffixes.push(pattern.slice(1));
            else this.exact.add(pattern);
        }
    }

    /** Why Linli will not send to `serviceUrl` (missing, malformed, another scheme, a host not allowed), or null. */
    refusal(serviceUrl: string | undefined): string | null {
        if (!serviceUrl) return 'no serviceUrl';
        let url: URL;
        try {
            url = new URL(serviceUrl);
        } catch {
            return 'serviceUrl is not a URL';
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') return `serviceUrl scheme ${url.protocol} is not http or https`;
        if (url.username || url.password) return 'serviceUrl may not carry credentials';
        const host = url.hostname.toLowerCase();
        if (this.exact.has(host) || this.suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length)) return null;
        return `serviceUrl host ${host} is not in SERVICE_URL_ALLOWLIST`;
    }
}
