import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ActivityTypes } from 'botbuilder';
import { BOT_ACCOUNT } from './DirectLineAdapter';
/** The resume key's digest as kept with the conversation (the key itself only ever lives in the page's cookie). */
export function resumeKeyHash(key) {
    return createHash('sha256').update(key).digest('base64url');
}
export function resumeKeyMatches(key, conversation) {
    if (!conversation.resumeKeyHash)
        return false;
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
    log;
    adapter;
    run;
    now;
    constructor(log, adapter, run, now) {
        this.log = log;
        this.adapter = adapter;
        this.run = run;
        this.now = now;
    }
    async create(request = {}) {
        const conversation = {
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
    /** Opens the conversation once: Linli hears the owner join (conversationUpdate) and says its welcome. */
    async start(conversation) {
        if (conversation.started)
            return false;
        conversation.started = true;
        await this.log.update(conversation);
        await this.adapter.processPosted(conversation, {
            ...this.envelope(conversation),
            type: ActivityTypes.ConversationUpdate,
            id: `${conversation.id}|join`,
            membersAdded: [this.owner(conversation)],
        }, this.run);
        return true;
    }
    /**
     * An owner's activity: stored (and echoed on the stream) with Linli's id and time and the token's owner, then run
     * as a turn; typing is only pushed. Returns the stored id.
     */
    async post(conversation, activity) {
        // The profile is the estate server's (tokens/generate), never the browser's.
        const { owner: _ignored, ...clientData } = (activity.channelData ?? {});
        const channelData = conversation.profile ? { ...clientData, owner: conversation.profile } : clientData;
        const incoming = { ...activity, ...this.envelope(conversation), channelData };
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
    envelope(conversation) {
        return {
            channelId: 'webchat',
            from: this.owner(conversation),
            recipient: BOT_ACCOUNT,
            conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
            timestamp: this.now(),
        };
    }
    owner(conversation) {
        return { id: conversation.ownerId, role: 'user', ...(conversation.ownerName ? { name: conversation.ownerName } : {}) };
    }
}
