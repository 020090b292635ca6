import type { Activity, Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import { maskPii } from '../pii';

/** One line of a turn's exchange as the log keeps it: who spoke, and the words (masked) or the event's name. */
export interface TranscriptLine {
    from: 'owner' | 'bot';
    type: string;
    text?: string;
    name?: string;
}

/**
 * Logs each turn's exchange — the owner's message and everything the bot sent — as one JSON line with personal data
 * masked, when the turn ends (also when it fails). One line per turn rather than one per activity: under load every
 * log line costs, and three lines a turn were a measurable part of the latency tail. It reads only the fields it logs;
 * botbuilder's TranscriptLoggerMiddleware deep-copies every activity.
 */
export class TranscriptMiddleware implements Middleware {
    constructor(private readonly logger: Logger) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        if (!this.logger.isLevelEnabled('info')) return next();
        const lines: TranscriptLine[] = [];
        const owner = line('owner', context.activity);
        if (owner) lines.push(owner);
        context.onSendActivities(async (_ctx, activities, send): Promise<ResourceResponse[]> => {
            for (const activity of activities) {
                const sent = line('bot', activity);
                if (sent) lines.push(sent);
            }
            return send();
        });
        let outcome = 'error';
        try {
            await next();
            outcome = 'ok';
        } finally {
            const { channelId, conversation } = context.activity;
            this.logger.info({ transcript: { channelId, conversationId: conversation?.id, outcome, lines } }, 'turn');
        }
    }
}

function line(from: TranscriptLine['from'], activity: Partial<Activity>): TranscriptLine | null {
    if (activity.type === 'trace' || activity.type === 'typing') return null;
    return {
        from,
        type: activity.type ?? 'message',
        ...(typeof activity.text === 'string' ? { text: maskPii(activity.text) } : {}),
        ...(activity.name ? { name: activity.name } : {}),
    };
}
