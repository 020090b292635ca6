import type { Announcement } from './ChaosOwner';

interface ListedTicket {
    id: string;
    conversationId: string;
}

export interface AuditResult {
    announced: number;
    found: number;
    lost: string[];
    /** Conversations of this run holding more than one ticket (each files exactly one). */
    duplicated: { conversationId: string; tickets: string[] }[];
    /** Tickets the list route returned; when it does not hold every announced one, it is capped (not paged). */
    listed: number;
    listComplete: boolean;
    announcedIds: Set<string>;
}

/**
 * Reads every ticket through the staff API and checks the announcements against it. Accepts both shapes of
 * `GET /api/tickets` (a bare array, or `{tickets, nextCursor}` paged with `cursor`).
 */
export class TicketAudit {
    constructor(
        private readonly url: string,
        private readonly token: string,
    ) {}

    async check(announced: Announcement[], conversationPrefix: string): Promise<AuditResult> {
        const announcedIds = [...new Set(announced.map((a) => a.ticketId))];
        // Each announced number is looked up by itself: exact whatever the list route pages or caps.
        const lost: string[] = [];
        for (let i = 0; i < announcedIds.length; i += 8) {
            const batch = announcedIds.slice(i, i + 8);
            const present = await Promise.all(batch.map((id) => this.exists(id)));
            batch.forEach((id, j) => present[j] || lost.push(id));
        }
        const tickets = await this.allTickets();
        const listed = new Set(tickets.map((t) => t.id));
        const byConversation = new Map<string, string[]>();
        for (const ticket of tickets) {
            if (!ticket.conversationId.startsWith(conversationPrefix)) continue;
            byConversation.set(ticket.conversationId, [...(byConversation.get(ticket.conversationId) ?? []), ticket.id]);
        }
        // One conversation told two different numbers is a duplicate even where the list does not show it.
        for (const { conversationId, ticketId } of announced) {
            const list = byConversation.get(conversationId) ?? [];
            if (!list.includes(ticketId)) byConversation.set(conversationId, [...list, ticketId]);
        }
        return {
            announced: announcedIds.length,
            found: announcedIds.length - lost.length,
            lost,
            duplicated: [...byConversation].filter(([, list]) => list.length > 1).map(([conversationId, list]) => ({ conversationId, tickets: list })),
            listed: tickets.length,
            listComplete: announcedIds.every((id) => lost.includes(id) || listed.has(id)),
            announcedIds: new Set(announcedIds),
        };
    }

    private async exists(id: string): Promise<boolean> {
        return (await this.get(`/api/tickets/${encodeURIComponent(id)}`, [404])) !== null;
    }

    private async allTickets(): Promise<ListedTicket[]> {
        const all: ListedTicket[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 1000; page++) {
            const query = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
            const body = await this.get(`/api/tickets?${query}`);
            const list = Array.isArray(body) ? body : (body as { tickets?: unknown }).tickets;
            if (!Array.isArray(list)) throw new Error(`GET /api/tickets: neither an array nor {tickets}: ${JSON.stringify(body).slice(0, 200)}`);
            all.push(...(list as ListedTicket[]));
            const next = Array.isArray(body) ? undefined : (body as { nextCursor?: unknown }).nextCursor;
            if (typeof next !== 'string' || next === '') return all;
            cursor = next;
        }
        throw new Error('GET /api/tickets: more than 1000 pages');
    }

    /** One GET, retried for a few seconds while the server or its store comes back; null for an `absent` status. */
    private async get(path: string, absent: number[] = []): Promise<unknown> {
        let last = '';
        for (let attempt = 0; attempt < 40; attempt++) {
            try {
                const res = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${this.token}` }, signal: AbortSignal.timeout(5000) });
                if (res.ok) return await res.json();
                if (absent.includes(res.status)) return null;
                last = `HTTP ${res.status}: ${await res.text()}`;
            } catch (error) {
                last = error instanceof Error ? error.message : String(error);
            }
            await new Promise((r) => setTimeout(r, 250));
        }
        throw new Error(`GET ${path} failed: ${last}`);
    }
}
