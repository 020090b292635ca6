import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState } from 'botbuilder';
import { EchoBot } from './EchoBot';
import { Redis } from 'ioredis';
import restify from 'restify';
import { conversationTtl } from '../../bot/storage/PingableStorage';
import { RedisStorage } from '../../adapters/storage/RedisStorage';
import { loadConfig } from '../../bot/config';

/**
 * The baseline served on the same HTTP stack and the same Redis storage class as Linli, with the stock CloudAdapter as
 * botbuilder's samples build it (Linli's adapter reuses connector clients; the baseline does not).
 */
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
    // A clean exit on the bench's SIGTERM, so `--echo-cpu-prof` gets its profile written.
    process.once('SIGTERM', () => {
        server.close();
        redis.disconnect();
        process.exit(0);
    });
}

void main();
