import type { Activity, TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config';
import { createCloudAdapter } from '../../bot/createCloudAdapter';

function activity(serviceUrl: string): Activity {
    return {
        type: 'message',
        channelId: 'webchat',
        serviceUrl,
        conversation: { id: 'c1' },
        from: { id: 'owner' },
        recipient: { id: 'bot' },
        text: '您好',
    } as Activity;
}

describe('createCloudAdapter', () => {
    it('reuses one connector client per service URL, and one user-token client, across turns', async () => {
        const adapter = createCloudAdapter(loadConfig({}));
        const seen: { connector: unknown; userToken: unknown }[] = [];
        const capture = async (context: TurnContext) => {
            seen.push({ connector: context.turnState.get(adapter.ConnectorClientKey), userToken: context.turnState.get(adapter.UserTokenClientKey) });
        };
        await adapter.processActivityDirect('', activity('http://127.0.0.1:1/a'), capture);
        await adapter.processActivityDirect('', activity('http://127.0.0.1:1/a'), capture);
        await adapter.processActivityDirect('', activity('http://127.0.0.1:1/b'), capture);
        expect(seen[0]?.connector).toBeDefined();
        expect(seen[1]?.connector).toBe(seen[0]?.connector);
        expect(seen[2]?.connector).not.toBe(seen[0]?.connector);
        expect(seen[2]?.userToken).toBe(seen[0]?.userToken);
    });
});
