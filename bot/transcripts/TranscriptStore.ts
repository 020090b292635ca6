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
