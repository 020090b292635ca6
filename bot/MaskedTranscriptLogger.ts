import type { Activity, TranscriptLogger } from 'botbuilder';
import type { Logger } from './logger';
import { maskPii } from './pii';

/**
 * Writes each activity of a conversation (owner's and bot's) as one JSON log line with personal data masked.
 * The inbound message is logged before the bot runs, so a turn that fails later is still on record.
 */
export class MaskedTranscriptLogger implements TranscriptLogger {
    constructor(private readonly logger: Logger) {}

    logActivity(activity: Activity): void {
        if (activity.type === 'trace' || activity.type === 'typing') return;
        this.logger.info(
            {
                transcript: {
                    channelId: activity.channelId,
                    conversationId: activity.conversation?.id,
                    // Replies are addressed to the owner; everything else came from the owner.
                    from: activity.recipient?.role === 'user' ? 'bot' : (activity.from?.role ?? 'user'),
                    type: activity.type,
                    name: activity.name,
                    text: typeof activity.text === 'string' ? maskPii(activity.text) : undefined,
                },
            },
            'activity',
        );
    }
}
