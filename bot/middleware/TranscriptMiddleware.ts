import type { Activity, Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import { maskPii } from '../pii';

type Direction = 'owner' | 'bot';

/**
 * Writes the conversation as JSON log lines with personal data masked: the owner's message before the bot runs (so a
 * turn that fails later is still on record) and each reply as it is sent. It reads only the few fields it logs;
 * botbuilder's TranscriptLoggerMiddleware deep-copies every activity, which cost a quarter of the throughput under load.
 */
export class TranscriptMiddleware implements Middleware {
    constructor(private readonly logger: Logger) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        this.log('owner', context.activity);
        context.onSendActivities(async (_ctx, activities, send): Promise<ResourceResponse[]> => {
            for (const activity of activities) this.log('bot', activity);
            return send();
        });
        await next();
    }

    private log(from: Direction, activity: Partial<Activity>): void {
        if (activity.type === 'trace' || activity.type === 'typing' || !this.logger.isLevelEnabled('info')) return;
        this.logger.info(
            {
                transcript: {
                    channelId: activity.channelId,
                    conversationId: activity.conversation?.id,
                    from,
                    type: activity.type,
                    name: activity.name,
                    text: typeof activity.text === 'string' ? maskPii(activity.text) : undefined,
                },
            },
            'activity',
        );
    }
}
