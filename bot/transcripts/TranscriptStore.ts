import { z } from 'zod';

/** One line of a conversation as agents read it: who spoke (owner, bot, agent by name, or the system), and what. */
export const TranscriptEntry = z.object({
    at: z.string(),
    from: z.enum(['owner', 'bot', 'agent', 'system']),
    /** The agent's name for agent lines and agent actions. */
    agent: z.string().optional(),
    /** Words as sent, unmasked: transcripts are shown only through the agent API (contract: agents see contacts). */
    text: z.string().optional(),
    /** An event's name (handoff.initiate, handoff.status) or an agent action (accepted, released, ticket moved). */
    event: z.string().optional(),
    /** Files the owner sent (web chat's photos), each at a URL agents can open. */
    attachments: z.array(z.object({ contentType: z.string(), contentUrl: z.string(), name: z.string().optional() })).optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

/** Each conversation's transcript, appended turn by turn, kept for `ttl` and capped at the last `maxEntries` lines. */
export interface TranscriptStore {
    append(conversationId: string, entries: TranscriptEntry[]): Promise<void>;
    /** The last `limit` lines (all kept lines when omitted), oldest first. */
    read(conversationId: string, limit?: number): Promise<TranscriptEntry[]>;
}

export const MAX_TRANSCRIPT_ENTRIES = 500;

/**
 * Stored lines as entries, leaving out any that do not read as one (written by an older build, or damaged): one bad
 * line must not make a transcript, or the agents' queue that shows its last message, unreadable.
 */
export function readTranscriptLines(lines: string[]): TranscriptEntry[] {
    const entries: TranscriptEntry[] = [];
    for (const line of lines) {
        let value: unknown;
        try {
            value = JSON.parse(line);
        } catch {
            continue;
        }
        const parsed = TranscriptEntry.safeParse(value);
        if (parsed.success) entries.push(parsed.data);
    }
    return entries;
}
