import { join } from 'node:path';
import { userInfo } from 'node:os';
import pino from 'pino';
import { Channels } from 'botbuilder';
import { ConfigError, loadConfig } from '../../bot/config';
import { Linli } from '../../bot/Linli';
import { createLogger } from '../../bot/logger';
import { ConsoleAdapter } from './ConsoleAdapter';

/** `npm run chat`: talk to Linli in a terminal, through the same pipeline and store as the server. */
async function main(): Promise<void> {
    const config = loadConfig();
    // Log lines would drown the conversation: they go to a file beside the data.
    const logger = createLogger(config.LOG_LEVEL, pino.destination({ dest: join(config.DATA_DIR, 'chat.log'), mkdir: true, sync: false }));
    const linli = await Linli.create(config, logger);
    const user = userInfo().username || 'owner';
    const adapter = linli.attach(new ConsoleAdapter(process.stdin, process.stdout, { conversationId: `console-${user}`, userId: `console-${user}` }), [Channels.Console]);
    process.stdout.write('邻里 · 终端对话（Ctrl+D 结束）\n');
    await adapter.listen((context) => linli.bot.run(context));
    await linli.close();
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `chat failed: ${String(error)}`}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
});
