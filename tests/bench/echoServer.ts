import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, type TurnContext } from 'botbuilder';
import { Redis } from 'ioredis';
import restify from 'restify';
import { conversationTtl } from '../../adapters/storage/PingableStorage';
import { RedisStorage } from '../../adapters/storage/RedisStorage';
import { loadConfig } from '../../bot/config';

/**
 * The benchmark's baseline: a bare botbuilder echo bot on the same HTTP stack and the same Redis storage as Linli,
 * reading and writing its conversation state every turn. It has no middleware, no understanding, no lock, and the
 * stock CloudAdapter as botbuilder's samples build it (Linli's adapter reuses connector clients; the baseline does not).
 */
class EchoBot extends ActivityHandler {
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

async function main(): Promise<void> {
    const config = loadConfig();
    if (!config.REDIS_URL) throw new Error('the echo baseline needs REDIS_URL');
    const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: true });
    const bot = new EchoBot(new ConversationState(new RedisStorage(redis, config.REDIS_KEY_PREFIX, conversationTtl(config.CONVERSATION_TTL_SECONDS))));
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const server = restify.createServer();
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    server.post('/api/messages', async (req, res) => {
        await adapter.process(req, res, (context) => bot.run(context));
    });
    server.listen(config.PORT, config.HOST);
}

void main();
