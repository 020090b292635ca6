import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../bot/logger';
import { Metrics } from '../../bot/Metrics';
import { survivesUnhandledRejections } from '../../bot/unhandledRejections';

describe('an unhandled rejection', () => {
    it('is logged as one JSON line and counted, and nothing else happens', async () => {
        const lines: string[] = [];
        const logTo = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
        const metrics = new Metrics(false);
        const source = new EventEmitter();
        survivesUnhandledRejections(source, createLogger('info', logTo), metrics);
        source.emit('unhandledRejection', new Error('typing send refused by 13812345678'));
        await new Promise((resolve) => setImmediate(resolve));
        const text = await metrics.registry.metrics();
        expect(text).toContain('linli_errors_total{kind="unhandled_rejection"} 1');
        expect(lines).toHaveLength(1);
        const line = JSON.parse(lines[0] ?? '{}') as { level: number; msg: string; err: { message: string } };
        expect(line.level).toBe(50);
        expect(line.err.message).not.toContain('13812345678'); // masked like every line
    });
});
