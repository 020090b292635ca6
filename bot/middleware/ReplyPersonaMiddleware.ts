import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { TurnUnderstanding } from '../TurnUnderstanding';

/**
 * Tells the page of a channel Linli serves itself who it is talking to: each message Linli sends in a turn where the
 * owner was read carries `channelData.linli.persona` (`elderly` | `young` | `default`), so the owner page can offer
 * large text to an elderly owner. Data for the page only; the words themselves are already chosen for the persona.
 */
export class ReplyPersonaMiddleware implements Middleware {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        context.onSendActivities(async (ctx, activities, send) => {
            // Read at send time: the owner's message is understood after this middleware has run.
            const persona = TurnUnderstanding.get(ctx)?.nlu.persona;
            if (persona) {
                for (const activity of activities) {
                    if (activity.type !== ActivityTypes.Message) continue;
                    const channelData = (activity.channelData ?? {}) as Record<string, unknown>;
                    activity.channelData = { ...channelData, linli: { ...(channelData.linli as Record<string, unknown> | undefined), persona } };
                }
            }
            return send();
        });
        await next();
    }
}
