import { ActivityEventNames, ActivityTypes, BotAdapter, TurnContext } from 'botbuilder';
/** Where a posted turn keeps its conversation record, so replies need not read it again. */
const CONVERSATION = Symbol('directline.conversation');
/** Linli's side of the web conversation: its name on the channel. */
export const BOT_ACCOUNT = { id: 'linli', name: 'Linli', role: 'bot' };
/**
 * The Direct Line channel as a botbuilder adapter: a posted activity becomes a turn, and what the bot sends is
 * written to the conversation's activity log (typing only pushed to open sockets). Proactive sends (agents, follow-up
 * visits, reminders) arrive through `continueConversation` and go the same way.
 */
export class DirectLineAdapter extends BotAdapter {
    log;
    now;
    constructor(log, now = () => new Date()) {
        super();
        this.log = log;
        this.now = now;
    }
    /** Runs the pipeline on an owner's activity (already stored and echoed by the route). */
    async processPosted(conversation, activity, logic) {
        const context = new TurnContext(this, activity);
        context.turnState.set(CONVERSATION, conversation);
        await this.runMiddleware(context, logic);
    }
    async sendActivities(context, activities) {
        const conversation = await this.conversationOf(context);
        const responses = [];
        for (const activity of activities) {
            if (activity.type === 'delay') {
                await new Promise((resolve) => setTimeout(resolve, typeof activity.value === 'number' ? activity.value : 1000));
                responses.push({ id: '' });
                continue;
            }
            if (activity.type === ActivityTypes.InvokeResponse || activity.type === ActivityTypes.Trace) {
                responses.push({ id: '' });
                continue;
            }
            const outgoing = {
                ...activity,
                channelId: 'webchat',
                conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
                from: BOT_ACCOUNT,
                recipient: { id: conversation.ownerId, role: 'user', name: conversation.ownerName ?? '' },
                timestamp: this.now(),
            };
            delete outgoing.serviceUrl;
            if (activity.type === ActivityTypes.Typing) {
                await this.log.pushTransient(conversation.id, outgoing);
                responses.push({ id: '' });
                continue;
            }
            const stored = await this.log.append(conversation, outgoing);
            responses.push({ id: stored.id ?? '' });
        }
        return responses;
    }
    async updateActivity() {
        throw new Error('Direct Line (Linli): activities can not be updated');
    }
    async deleteActivity() {
        throw new Error('Direct Line (Linli): activities can not be deleted');
    }
    /** A proactive turn in a web conversation (the registry's way back to web owners). */
    async continueConversation(reference, logic) {
        const conversationId = reference.conversation?.id;
        const conversation = conversationId ? await this.log.get(conversationId) : null;
        if (!conversation)
            throw new Error(`web conversation ${conversationId ?? '?'} has ended: the owner can not be reached`);
        const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: ActivityEventNames.ContinueConversation }, reference, true);
        const context = new TurnContext(this, activity);
        context.turnState.set(CONVERSATION, conversation);
        await this.runMiddleware(context, logic);
    }
    async conversationOf(context) {
        const known = context.turnState.get(CONVERSATION);
        if (known)
            return known;
        const id = context.activity.conversation?.id;
        const conversation = id ? await this.log.get(id) : null;
        if (!conversation)
            throw new Error(`web conversation ${id ?? '?'} has ended`);
        context.turnState.set(CONVERSATION, conversation);
        return conversation;
    }
}
