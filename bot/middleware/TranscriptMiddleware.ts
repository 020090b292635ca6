import { ActivityTypes, type Activity, type Middleware, type ResourceResponse, type TurnContext } from 'botbuilder';
import { AGENT_SPEAKING, AGENT_WORDS } from '../handoff/HandoffService';
import type { Logger } from '../logger';
import { maskPii } from '../pii';
import { REFUSED_CHARS } from './NormalizeMiddleware';
import type { TranscriptEntry, TranscriptStore } from '../transcripts/TranscriptStore';

/** The event CloudAdapter runs a proactive turn with; it is not something the owner said. */
const CONTINUE_CONVERSATION = 'ContinueConversation';

/** Stands in the transcript for a message refused as too long: what was refused is neither stored nor logged. */
export const TOO_LONG_EVENT = 'message.too_long';

/**
 * Records each turn's exchange — the owner's message and everything sent back, by the bot or by an agent — when the
 * turn ends (also when it fails):
 * - in the transcript store, as said (agents read it through their API and see contact details in full), written
 *   without holding up the reply: the reply does not wait a round trip for it;
 * - in the log, one JSON line per turn with phone and ID numbers masked.
 * A message NormalizeMiddleware refused as too long is recorded in both as a marker only, without its words.
 * It reads only the fields it records; botbuilder's TranscriptLoggerMiddleware deep-copies every activity.
 */
export class TranscriptMiddleware implements Middleware {
    constructor(
        private readonly logger: Logger,
        private readonly store?: TranscriptStore,
    ) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const logging = this.logger.isLevelEnabled('info');
        if (!logging && !this.store) return next();
        const at = new Date().toISOString();
        const sent: TranscriptEntry[] = [];
        const owner = context.activity.name === CONTINUE_CONVERSATION ? null : entry('owner', context.activity, at);
        context.onSendActivities(async (ctx, activities, send): Promise<ResourceResponse[]> => {
            const agent = ctx.turnState.get(AGENT_SPEAKING) as string | undefined;
            const words = ctx.turnState.get(AGENT_WORDS) as string | undefined;
            const sentAt = new Date().toISOString();
            // Recorded once the channel took them: words that never arrived are not in the transcript as said.
            const responses = await send();
            for (const activity of activities) {
                const line = entry(agent && activity.type === ActivityTypes.Message ? 'agent' : 'bot', activity, sentAt);
                if (line) sent.push(agent && line.from === 'agent' ? { ...line, agent, ...(words !== undefined ? { text: words } : {}) } : line);
            }
            return responses;
        });
        let outcome = 'error';
        try {
            await next();
            outcome = 'ok';
        } finally {
            const { channelId, conversation } = context.activity;
            const said = owner && context.turnState.has(REFUSED_CHARS) ? { at: owner.at, from: owner.from, event: TOO_LONG_EVENT } : owner;
            const entries = said ? [said, ...sent] : sent;
            if (this.store && entries.length > 0 && conversation?.id) {
                this.store.append(conversation.id, entries).catch((error: unknown) => this.logger.warn({ err: error, conversationId: conversation.id }, 'transcript not stored'));
            }
            if (logging) {
                const lines = entries.map((e) => (e.text === undefined ? e : { ...e, text: maskPii(e.text) }));
                this.logger.info({ transcript: { channelId, conversationId: conversation?.id, outcome, lines } }, 'turn');
            }
        }
    }
}

function entry(from: TranscriptEntry['from'], activity: Partial<Activity>, at: string): TranscriptEntry | null {
    if (activity.type === ActivityTypes.Trace || activity.type === ActivityTypes.Typing) return null;
    const files = (activity.attachments ?? []).flatMap((a) =>
        typeof a.contentUrl === 'string' ? [{ contentType: a.contentType, contentUrl: a.contentUrl, ...(a.name ? { name: a.name } : {}) }] : [],
    );
    return {
        at,
        from,
        ...(typeof activity.text === 'string' ? { text: activity.text } : {}),
        ...(activity.type !== ActivityTypes.Message && typeof activity.name === 'string' && activity.name ? { event: activity.name } : {}),
        ...(files.length > 0 ? { attachments: files } : {}),
    };
}
