import { ConfigError, loadConfig, type Config } from './config';
import { createCloudAdapter } from './createCloudAdapter';
import { Linli } from './Linli';
import { createLogger } from './logger';
import { makeServer } from './server';
import { attachWeChat } from './composition/attachWeChat';
import { isLoopbackHost } from './http/ServiceUrlPolicy';
import { survivesUnhandledRejections } from './unhandledRejections';
import { consoleToLogger } from './consoleToLogger';

const STATE_SWEEP_MS = 10 * 60 * 1000;

/** Wiring only: config → Linli → adapter → HTTP server, and a clean shutdown. */
async function main(): Promise<void> {
    let config: Config;
    try {
        config = loadConfig();
    } catch (error) {
        if (error instanceof ConfigError) {
            process.stderr.write(`${error.message}\n`);
            process.exit(2);
        }
        throw error;
    }
    const logger = createLogger(config.LOG_LEVEL);
    consoleToLogger(console, logger);
    const linli = await Linli.create(config, logger);
    survivesUnhandledRejections(process, logger, linli.metrics);
    const adapter = linli.attach(createCloudAdapter(config, logger));
    const wechat = attachWeChat(linli, config, logger);
    const server = makeServer({ linli, adapter, logger, wechat, staffRatePerMinute: config.AGENT_API_RATE_PER_MINUTE, trustProxy: config.TRUST_PROXY, config });
    const followUps = linli.followUps();
    followUps.start(config.FOLLOW_UP_POLL_SECONDS * 1000);
    const handoffTimeouts = linli.handoffTimeouts();
    handoffTimeouts.start(config.HANDOFF_POLL_SECONDS * 1000);
    const handoffOffers = linli.handoffOffers();
    handoffOffers.start(config.HANDOFF_POLL_SECONDS * 1000);
    const reminders = linli.scheduledReminders();
    reminders.start(config.FOLLOW_UP_POLL_SECONDS * 1000);
    // Space only (reads already skip expired state), so an unhurried pace will do.
    const sweep = linli.expiredStateSweep();
    sweep.start(STATE_SWEEP_MS);

    server.listen(config.PORT, config.HOST, () => {
        logger.info({ url: server.url, store: linli.storage.kind }, 'Linli is listening');
        if (!config.MICROSOFT_APP_ID && !isLoopbackHost(config.HOST)) {
            logger.warn({ host: config.HOST }, 'no MICROSOFT_APP_ID: /api/messages is open to anyone who can reach this address (no token is checked)');
        }
        // After the port is open, so start-up is not delayed, and in a quiet moment, so no early turn waits for it.
        linli.warmWhenQuiet();
    });

    const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        followUps.stop();
        handoffTimeouts.stop();
        handoffOffers.stop();
        reminders.stop();
        sweep.stop();
        server.close(() => {
            void linli.close().finally(() => process.exit(0));
        });
        setTimeout(() => process.exit(0), 5000).unref();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
    process.stderr.write(`Linli failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
