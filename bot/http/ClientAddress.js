import { isIP } from 'node:net';
/**
 * The address a request comes from, as the staff rate limit counts it.
 *
 * Without TRUST_PROXY it is the socket's peer, whatever the headers say. With it (Linli behind one reverse proxy),
 * it is the right-most `X-Forwarded-For` entry: the one the proxy itself appended for the peer it saw. Every entry
 * to its left was written by the client and could be anything, so the left-most is never used. A missing or garbled
 * header falls back to the socket's peer (the proxy).
 */
export class ClientAddress {
    trustProxy;
    constructor(trustProxy) {
        this.trustProxy = trustProxy;
    }
    of(req) {
        const peer = ClientAddress.plain(req.socket.remoteAddress ?? 'unknown');
        if (!this.trustProxy)
            return peer;
        // Node joins repeated X-Forwarded-For headers with ", ", in order, so the right-most entry stays right-most.
        const forwarded = req.headers['x-forwarded-for'];
        const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').at(-1)?.trim() ?? '';
        return isIP(last) ? ClientAddress.plain(last) : peer;
    }
    /** `::ffff:1.2.3.4` and `1.2.3.4` are one client. */
    static plain(address) {
        return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    }
}
