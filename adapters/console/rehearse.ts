import { userInfo } from 'node:os';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../../bot/config';
import { openRehearsalStore } from '../rehearsals/openRehearsalStore';
import { rehearseInTerminal } from './rehearseInTerminal';

/** `npm run rehearse`: the terminal rehearsal on the configured store (the trainee is the terminal's user). */
async function main(): Promise<void> {
    const config = loadConfig();
    const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000 }) : undefined;
    const store = openRehearsalStore(redis, config);
    try {
        await rehearseInTerminal(process.stdin, process.stdout, store, userInfo().username || 'trainee');
    } finally {
        store.close?.();
        redis?.disconnect();
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `rehearse failed: ${String(error)}`}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
});
