import { z } from 'zod';

/**
 * What an incoming activity must carry before the adapter sees it. botbuilder's own parse throws on some shapes
 * instead of answering, so the request is checked here and refused with a reason.
 */
const Account = z.object({ id: z.string().min(1) }).passthrough();

export const ActivityBody = z
    .object({
        type: z.string().min(1).max(64),
        channelId: z.string().min(1).max(128),
        conversation: z.object({ id: z.string().min(1).max(512) }).passthrough(),
        from: Account,
        recipient: Account.optional(),
        serviceUrl: z.string().max(2048).optional(),
        deliveryMode: z.string().optional(),
        text: z.string().optional(),
        // An event's name is a string in the Bot Framework schema; anything else would end up in the transcript.
        name: z.string().max(256).optional(),
        channelData: z.unknown().optional(),
    })
    .passthrough()
    .superRefine((activity, ctx) => {
        if (activity.deliveryMode !== 'expectReplies' && !activity.serviceUrl) {
            ctx.addIssue({ code: 'custom', path: ['serviceUrl'], message: 'required unless deliveryMode is "expectReplies"' });
        }
        // The adapter's own proactive-turn event: proactive turns skip the turn lock, so a client may not pose as one.
        if (activity.type === 'event' && activity.name === 'ContinueConversation') {
            ctx.addIssue({ code: 'custom', path: ['name'], message: 'ContinueConversation is not an event a client may send' });
        }
        // Invokes (Teams cards, sign-in) are not something Linli handles: botbuilder would answer 501 for them.
        if (activity.type === 'invoke') {
            ctx.addIssue({ code: 'custom', path: ['type'], message: 'invoke activities are not handled by this bot' });
        }
    });

