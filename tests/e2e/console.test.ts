import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../adapters/console/ConsoleAdapter';
import { loadConfig } from '../../bot/config';
import { Linli } from '../../bot/Linli';
import { createLogger } from '../../bot/logger';

describe('console channel', () => {
    it('runs typed lines through the same pipeline: normalised, understood, answered, handed off', async () => {
        const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-console-')), LOG_LEVEL: 'silent' });
        const linli = await Linli.create(config, createLogger('silent'));
        const input = new PassThrough();
        const output = new PassThrough();
        let printed = '';
        output.on('data', (d: Buffer) => (printed += d.toString()));
        const adapter = linli.attach(new ConsoleAdapter(input, output, { conversationId: 'console-test', userId: 'tester' }));
        input.end('請問在嗎\n\n我要转人工\n' + '长'.repeat(2001) + '\n');
        await adapter.listen((context) => linli.bot.run(context));
        await linli.close();
        const replies = printed.split('\n').filter((l) => l.includes('邻里:'));
        expect(replies).toHaveLength(4); // greeting; a person is coming; the expected wait; please shorten
        expect(replies[0]).toMatch(/您好|在/);
        expect(printed).toMatch(/\[转人工: \{"reason":"requested","ticketId":null,"rule":"asks_for_a_person[a-z_]*","priority":3,"summary":"[^"]*我要转人工"\}\]/);
        expect(replies[2]).toMatch(/分钟/);
        expect(replies[3]).toMatch(/长/);
    });
});
