import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { ConversationEndedError } from '../../bot/webchat/ConversationEndedError';
import type { ConversationLog, WebConversation } from '../../bot/webchat/ConversationLog';
import type { OwnerContact } from '../../bot/tickets/OwnerContact';
import { BOT_ACCOUNT, type DirectLineAdapter } from './DirectLineAdapter';

/** Conversation records kept in memory (a few hundred bytes each): more than the owners chatting at once on an estate's instance. */
const REMEMBERED_CONVERSATIONS = 10_000;

export interface NewConversation {
    ownerId?: string;
    ownerName?: string;
    profile?: Partial<OwnerContact>;
    resumeKeyHash?: string;
}

/** The resume key's digest as kept with the conversation (the key itself only ever lives in the page's cookie). */
export function resumeKeyHash(key: string): string {
    return createHash('sha256').update(key).digest('base64url');
}

export function resumeKeyMatches(key: string, conversation: WebConversation): boolean {
    if (!conversation.resumeKeyHash) return false;
    const a = Buffer.from(resumeKeyHash(key));
    const b = Buffer.from(conversation.resumeKeyHash);
    return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Starting web conversations and running owners' activities: what the Direct Line routes and the page's token route
 * share. Ids are Linli's: a conversation id and an owner id (`dl_` + 128 random bits) unless the estate's server
 * named the owner.
 */
export class WebConversations {
    /** Records of the conversations this instance served lately, by id (see `find`). */
    private readonly recent = new Map<string, WebConversation>();

    constructor(
        readonly log: ConversationLog,
        private readonly adapter: DirectLineAdapter,
        private readonly run: (context: TurnContext) => Promise<void>,
        private readonly now: () => Date,
    ) {}

    /**
     * A conversation for an owner's post: the record this instance read or wrote lately, else the store's. Safe to
     * keep: what a record says never changes but `started` (decided by the store, see `open`) and `ownerSpoke` (only
     * ever set, and set again harmlessly from a stale copy), and an ended conversation is refused by the append
     * itself. A post thus reads nothing before it is stored.
     */
    async find(conversationId: string): Promise<WebConversation | null> {
        const known = this.recent.get(conversationId);
        if (known) {
            // Most recently used last: the oldest go first when the map is full.
            this.recent.delete(conversationId);
            this.recent.set(conversationId, known);
            return known;
        }
        const conversation = await this.log.get(conversationId);
        if (conversation) this.remember(conversation);
        return conversation;
    }

    async create(request: NewConversation = {}): Promise<WebConversation> {
        // 128 random bits each, from one call.
        const random = randomBytes(32);
        const conversation: WebConversation = {
            id: random.subarray(0, 16).toString('base64url'),
            ownerId: request.ownerId ?? `dl_${random.subarray(16).toString('hex')}`,
            ...(request.ownerName ? { ownerName: request.ownerName } : {}),
            ...(request.profile && Object.keys(request.profile).length > 0 ? { profile: request.profile } : {}),
            ...(request.resumeKeyHash ? { resumeKeyHash: request.resumeKeyHash } : {}),
            started: false,
            ownerSpoke: false,
            createdAt: this.now().toISOString(),
        };
        await this.log.create(conversation);
        this.remember(conversation);
        return conversation;
    }

    /**
     * Opens the conversation: the first to open it, of any number of requests at once (POST /conversations, a
     * reload's reconnect) on any instance, has Linli hear the owner join (conversationUpdate) and say its welcome; the
     * store decides who is first, so the welcome is said once. Null when the conversation has ended.
     */
    async open(conversationId: string): Promise<{ conversation: WebConversation; first: boolean } | null> {
        const marked = await this.log.markStarted(conversationId);
        if (marked) this.remember(marked.conversation);
        if (!marked?.first) return marked;
        const { conversation } = marked;
        await this.adapter.processPosted(conversation, {
            ...this.envelope(conversation),
            type: ActivityTypes.ConversationUpdate,
            id: `${conversation.id}|join`,
            membersAdded: [this.owner(conversation)],
        }, this.run);
        return marked;
    }

    /**
     * An owner's activity: stored (and echoed on the stream) with Linli's id and time and the token's owner, then run
     * as a turn; typing is only pushed. Returns the stored id.
     */
    async post(conversation: WebConversation, activity: Partial<Activity>): Promise<string> {
        // The profile is the estate server's (tokens/generate), never the browser's.
        const { owner: _ignored, ...clientData } = (activity.channelData ?? {}) as Record<string, unknown>;
        const channelData = conversation.profile ? { ...clientData, owner: conversation.profile } : clientData;
        const incoming: Partial<Activity> = { ...activity, ...this.envelope(conversation), channelData };
        if (activity.type === ActivityTypes.Typing) {
            await this.log.pushTransient(conversation.id, incoming);
            return '';
        }
        const ownerSpoke = activity.type === ActivityTypes.Message && !conversation.ownerSpoke;
        let stored: Partial<Activity>;
        try {
            stored = await this.log.append(conversation, incoming, { ownerSpoke });
        } catch (error) {
            if (error instanceof ConversationEndedError) this.recent.delete(conversation.id);
            throw error;
        }
        // The record this instance remembers (and the turn's replies, which set the conversation's life) now agree.
        if (ownerSpoke) conversation.ownerSpoke = true;
        await this.adapter.processPosted(conversation, stored, this.run);
        return stored.id ?? '';
    }

    private remember(conversation: WebConversation): void {
        this.recent.delete(conversation.id);
        this.recent.set(conversation.id, conversation);
        if (this.recent.size > REMEMBERED_CONVERSATIONS) this.recent.delete(this.recent.keys().next().value as string);
    }

    /** What Linli sets on every owner activity, whatever the client sent: channel, owner, conversation, time. */
    private envelope(conversation: WebConversation): Partial<Activity> {
        return {
            channelId: 'webchat',
            from: this.owner(conversation),
            recipient: BOT_ACCOUNT,
            conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
            timestamp: this.now(),
        };
    }

    private owner(conversation: WebConversation): Activity['from'] {
        return { id: conversation.ownerId, role: 'user', ...(conversation.ownerName ? { name: conversation.ownerName } : {}) } as Activity['from'];
    }
}
