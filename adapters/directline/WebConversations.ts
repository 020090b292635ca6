import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { ConversationLog, WebConversation } from '../../bot/webchat/ConversationLog';
import type { OwnerContact } from '../../bot/tickets/OwnerContact';
import { BOT_ACCOUNT, type DirectLineAdapter } from './DirectLineAdapter';

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
    constructor(
        readonly log: ConversationLog,
        private readonly adapter: DirectLineAdapter,
        private readonly run: (context: TurnContext) => Promise<void>,
        private readonly now: () => Date,
    ) {}

    async create(request: NewConversation = {}): Promise<WebConversation> {
        const conversation: WebConversation = {
            id: randomBytes(16).toString('base64url'),
            ownerId: request.ownerId ?? `dl_${randomBytes(16).toString('hex')}`,
            ...(request.ownerName ? { ownerName: request.ownerName } : {}),
            ...(request.profile && Object.keys(request.profile).length > 0 ? { profile: request.profile } : {}),
            ...(request.resumeKeyHash ? { resumeKeyHash: request.resumeKeyHash } : {}),
            started: false,
            ownerSpoke: false,
            createdAt: this.now().toISOString(),
        };
        await this.log.create(conversation);
        return conversation;
    }

    /**
     * Opens the conversation: the first to open it, of any number of requests at once (POST /conversations, a
     * reload's reconnect) on any instance, has Linli hear the owner join (conversationUpdate) and say its welcome; the
     * store decides who is first, so the welcome is said once. Null when the conversation has ended.
     */
    async open(conversationId: string): Promise<{ conversation: WebConversation; first: boolean } | null> {
        const marked = await this.log.markStarted(conversationId);
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
        if (activity.type === ActivityTypes.Message && !conversation.ownerSpoke) {
            conversation.ownerSpoke = true;
            await this.log.update(conversation);
        }
        const stored = await this.log.append(conversation, incoming);
        await this.adapter.processPosted(conversation, stored, this.run);
        return stored.id ?? '';
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
