import { ActivityTypes, type BotState, type TurnContext } from 'botbuilder';
import { LockTimeoutError } from './locks/TurnLock';
import { StorageUnavailableError } from './storage/StorageUnavailableError';
import type { Logger } from './logger';
import type { Metrics } from './Metrics';
import type { Phrasebook, PhraseKey } from './Phrasebook';
import { TurnTickets } from './tickets/TurnTickets';
import { TurnUnderstanding } from './TurnUnderstanding';

/**
 * The adapter's onTurnError: log, trace (emulator), one polite sentence to the owner, and clear the conversation
 * state so a broken dialog does not fail every turn after it.
 */
export class TurnErrorHandler {
    constructor(
        private readonly conversationState: BotState,
        private readonly phrasebook: Phrasebook,
        private readonly logger: Logger,
        private readonly metrics: Metrics,
    ) {}

    readonly handle = async (context: TurnContext, error: Error): Promise<void> => {
        const { phrase, kind } = classify(error);
        this.metrics.errors.inc({ kind });
        this.logger.error(
            { err: error, kind, channelId: context.activity.channelId, conversationId: context.activity.conversation?.id },
            'turn failed',
        );
        try {
            if (context.activity.channelId === 'emulator') {
                await context.sendActivity({
                    type: ActivityTypes.Trace,
                    name: 'OnTurnError Trace',
                    label: 'TurnError',
                    valueType: 'https://www.botframework.com/schemas/error',
                    value: `${error.name}: ${error.message}`,
                });
            }
            const sentence = this.ownerSentence(context, phrase);
            if (sentence) await context.sendActivity(sentence);
        } catch (sendError) {
            this.logger.error({ err: sendError }, 'could not tell the owner about the failed turn');
        }
        if (kind === 'turn') {
            // Clearing needs the store; when the store is the problem there is nothing to clear.
            try {
                await this.conversationState.delete(context);
            } catch (clearError) {
                this.logger.error({ err: clearError }, 'could not clear conversation state');
            }
        }
    };

    /**
     * What the owner hears must not contradict what this turn already told them. A ticket written in this turn is
     * real (its number was given, a retry of the step returns it): the owner hears that it stands, not "try again
     * later". When the owner already heard the ticket could not be written (and to call the hotline), nothing is added.
     */
    private ownerSentence(context: TurnContext, phrase: PhraseKey): string | null {
        const ticket = TurnTickets.get(context);
        if (ticket && 'failed' in ticket) return null;
        if (ticket && phrase !== 'busy') return this.phrasebook.say('ticket_kept_storage_down', TurnUnderstanding.get(context)?.nlu.persona, { ticketId: ticket.written });
        return this.phrasebook.say(phrase);
    }
}

function classify(error: Error): { phrase: PhraseKey; kind: string } {
    if (error instanceof StorageUnavailableError) return { phrase: 'storage_down', kind: 'storage' };
    if (error instanceof LockTimeoutError) return { phrase: 'busy', kind: 'lock' };
    return { phrase: 'turn_error', kind: 'turn' };
}
