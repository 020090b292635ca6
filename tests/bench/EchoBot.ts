import { ActivityHandler, type ConversationState, type TurnContext } from 'botbuilder';

/**
 * The benchmark's baseline: a bare botbuilder echo bot reading and writing its conversation state every turn. It has
 * no middleware, no understanding, no lock. Served over HTTP by echoServer.ts, or driven in-process by the bench.
 */
export class EchoBot extends ActivityHandler {
    constructor(private readonly state: ConversationState) {
        super();
        const count = state.createProperty<number>('count');
        this.onMessage(async (context, next) => {
            const n = (await count.get(context, 0)) + 1;
            await count.set(context, n);
            await context.sendActivity(`echo ${n}: ${context.activity.text ?? ''}`);
            await next();
        });
    }

    override async run(context: TurnContext): Promise<void> {
        await super.run(context);
        await this.state.saveChanges(context);
    }
}

