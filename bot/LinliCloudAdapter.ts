import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult, type BotFrameworkAuthentication } from 'botframework-connector';
import type { Logger } from './logger';

/**
 * botbuilder's CloudAdapter, with its failures answered and logged here: the stock `process` prints each one to
 * stderr through the console's error method (a rejected token became a multi-line stack trace outside the masking logger) and
 * answers anything but an AuthenticationError with 500. A refused token is 401 with a JSON reason, logged at debug
 * (tokens are refused all day on a public endpoint); anything else is logged through pino.
 */
export class LinliCloudAdapter extends CloudAdapter {
    constructor(
        auth: BotFrameworkAuthentication,
        private readonly logger: Logger,
    ) {
        super(auth);
    }

    protected override async processActivity(
        auth: string | AuthenticateRequestResult,
        activity: Activity,
        logic: (context: TurnContext) => Promise<void>,
    ): Promise<InvokeResponse | undefined> {
        try {
            return await (typeof auth === 'string' ? super.processActivity(auth, activity, logic) : super.processActivity(auth, activity, logic));
        } catch (error) {
            if (error instanceof AuthenticationError) {
                this.logger.debug({ reason: error.message, channelId: activity.channelId }, 'activity refused: not authenticated');
                return { status: 401, body: { error: 'unauthorized', reason: 'the request is not authorized' } };
            }
            this.logger.error({ err: error, channelId: activity.channelId }, 'activity failed');
            return { status: 500, body: { error: 'internal', reason: 'the activity could not be processed' } };
        }
    }
}
