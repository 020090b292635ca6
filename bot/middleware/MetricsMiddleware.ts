import type { Middleware, TurnContext } from 'botbuilder';
import { ChannelLabel } from '../ChannelLabel';
import type { Metrics } from '../Metrics';

/** Outermost middleware: counts every turn and times it, whatever happens further in. */
export class MetricsMiddleware implements Middleware {
    constructor(private readonly metrics: Metrics) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const channel = ChannelLabel.of(context.activity.channelId);
        const stop = this.metrics.turnSeconds.startTimer({ channel });
        let outcome = 'error';
        this.metrics.turnsInFlight += 1;
        try {
            await next();
            outcome = 'ok';
        } finally {
            this.metrics.turnsInFlight -= 1;
            stop();
            this.metrics.turns.inc({ channel, outcome });
        }
    }
}
