import type { Activity } from 'botbuilder';
import type { OwnerContact } from '../tickets/OwnerContact';

/** A web conversation as Linli keeps it: who the owner is, and what the embedding site said about them. */
export interface WebConversation {
    id: string;
    /** The owner's id on channel `webchat`: minted (`dl_…`) or given by the estate's server to tokens/generate. */
    ownerId: string;
    ownerName?: string;
    /** The profile the estate's server passed (never the browser's): rides on every activity as channelData.owner. */
    profile?: Partial<OwnerContact>;
    /** A hash of the page's resume key (POST /chat/token), when the page started it. */
    resumeKeyHash?: string;
    /** Set once the client opened it (POST /conversations) and Linli said its welcome. */
    started: boolean;
    /** Set at the owner's first message: until then the conversation lives an hour. */
    ownerSpoke: boolean;
    createdAt: string;
}

/** Activities from a watermark on, and the watermark after them. */
export interface ActivitySet {
    activities: Partial<Activity>[];
    watermark: string;
}

/**
 * What a live listener hears: stored activities (with the watermark they move to) or a typing push (no watermark),
 * as the frame a stream sends, `{"activities":[…],"watermark":"n"}`: made once per push, whatever the number of
 * sockets, and on Redis made from the published text without parsing it.
 */
export interface ActivityPush {
    /** The sequence of the last activity: absent for typing, which is never stored. */
    watermark?: string;
    frame: string;
}

/** The frame of stored activities: the stream's wire form, as `GET …/activities` answers them. */
export function pushOf(activities: Partial<Activity>[], watermark?: string): ActivityPush {
    return watermark === undefined ? { frame: JSON.stringify({ activities }) } : { watermark, frame: JSON.stringify({ activities, watermark }) };
}

export type PushListener = (push: ActivityPush) => void;

/**
 * The Direct Line conversations and their activity logs (embedded SQLite, or Redis for several instances). Each
 * conversation's activities are numbered by one sequence in the store (the watermark), kept for the conversation's
 * life and at most `MAX_ACTIVITIES_PER_CONVERSATION` of them; what is appended is pushed to every listener of the
 * conversation, on every instance.
 */
export interface ConversationLog {
    create(conversation: WebConversation): Promise<void>;
    get(conversationId: string): Promise<WebConversation | null>;
    /**
     * Sets `started` in one step of the store: of any number of callers at once, on any instance, exactly one is told
     * `first` (and says the welcome). The record as it now is, or null when there is no such conversation.
     */
    markStarted(conversationId: string): Promise<{ conversation: WebConversation; first: boolean } | null>;
    /**
     * Stores the activity with the next id (`<conversationId>|<seq>`), pushes it, and returns it as stored, in one
     * step of the store. `ownerSpoke` also marks the record (the owner's first message: the conversation now lives the
     * conversation TTL). Throws ConversationEndedError, storing nothing, when the conversation's record is gone.
     */
    append(conversation: WebConversation, activity: Partial<Activity>, options?: { ownerSpoke?: boolean }): Promise<Partial<Activity>>;
    /** Activities after `watermark` (from the start when undefined), in order. */
    list(conversationId: string, watermark?: number): Promise<ActivitySet>;
    /** As `list`, with the conversation's existence read in the same store step: null when it has no record (ended). */
    replay(conversationId: string, watermark?: number): Promise<ActivitySet | null>;
    /** Pushes without storing (typing): only sockets open now hear it. */
    pushTransient(conversationId: string, activity: Partial<Activity>): Promise<void>;
    /** Listens to a conversation's pushes; returns the way to stop. */
    listen(conversationId: string, listener: PushListener): () => void;
    saveUpload(conversation: WebConversation, upload: StoredUpload): Promise<void>;
    getUpload(conversationId: string, uploadId: string): Promise<StoredUpload | null>;
    ping(): Promise<void>;
    close(): Promise<void>;
}

export interface StoredUpload {
    id: string;
    contentType: string;
    name: string;
    data: Buffer;
}

/** The cap on a conversation's stored activities: the oldest go first. */
export const MAX_ACTIVITIES_PER_CONVERSATION = 1000;

/** A conversation nobody has written in lives this long (a page opened and left). */
export const SILENT_CONVERSATION_TTL_SECONDS = 3600;

/** How long a conversation and its activities are kept from now. */
export function conversationLife(conversation: WebConversation, ttlSeconds: number): number {
    return conversation.ownerSpoke ? ttlSeconds : Math.min(ttlSeconds, SILENT_CONVERSATION_TTL_SECONDS);
}

/** An activity's sequence from its id (`<conversationId>|<seq>`). */
export function sequenceOf(id: string | undefined): number {
    const seq = Number(id?.slice(id.lastIndexOf('|') + 1));
    return Number.isInteger(seq) ? seq : 0;
}

export function activityId(conversationId: string, seq: number): string {
    return `${conversationId}|${String(seq).padStart(7, '0')}`;
}
