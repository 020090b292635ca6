import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import {
    ActivityTypes,
    BotAdapter,
    TurnContext,
    type Activity,
    type ConversationReference,
    type ResourceResponse,
} from 'botbuilder';

export interface ConsoleIdentity {
    conversationId: string;
    userId: string;
    channelData?: Record<string, unknown>;
}

/**
 * A terminal channel: each line typed is a message activity, each reply is printed. It only translates between
 * lines and activities; the turn runs through whatever middleware Linli attaches, as on every channel.
 */
export class ConsoleAdapter extends BotAdapter {
    private nextId = 0;

    constructor(
        private readonly input: Readable,
        private readonly output: Writable,
        private readonly identity: ConsoleIdentity,
    ) {
        super();
    }

    private reference(): ConversationReference {
        return {
            channelId: 'console',
            serviceUrl: 'console://local',
            conversation: { id: this.identity.conversationId, isGroup: false, conversationType: 'personal', name: 'console' },
            user: { id: this.identity.userId, name: 'owner', role: 'user' },
            bot: { id: 'linli', name: 'Linli', role: 'bot' },
        };
    }

    /** Reads lines until the input ends; resolves when every turn has finished. */
    async listen(logic: (context: TurnContext) => Promise<void>, prompt = '> '): Promise<void> {
        const lines = createInterface({ input: this.input, terminal: false });
        this.output.write(prompt);
        for await (const line of lines) {
            if (line.trim() === '') {
                this.output.write(prompt);
                continue;
            }
            const activity = TurnContext.applyConversationReference(
                {
                    type: ActivityTypes.Message,
                    id: String(++this.nextId),
                    timestamp: new Date(),
                    text: line,
                    ...(this.identity.channelData ? { channelData: this.identity.channelData } : {}),
                },
                this.reference(),
                true,
            ) as Activity;
            const context = new TurnContext(this, activity);
            await this.runMiddleware(context, logic);
            this.output.write(prompt);
        }
    }

    async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
        return activities.map((activity) => {
            if (activity.type === ActivityTypes.Message && activity.text) this.output.write(`邻里: ${activity.text}\n`);
            else if (activity.type === ActivityTypes.Event && activity.name === 'handoff.initiate') {
                this.output.write(`[转人工: ${JSON.stringify(activity.value)}]\n`);
            }
            return { id: String(++this.nextId) };
        });
    }

    async updateActivity(): Promise<ResourceResponse | void> {
        throw new Error('ConsoleAdapter: a printed line can not be updated');
    }

    async deleteActivity(): Promise<void> {
        throw new Error('ConsoleAdapter: a printed line can not be deleted');
    }

    async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
        const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
        await this.runMiddleware(new TurnContext(this, activity), logic);
    }
}
