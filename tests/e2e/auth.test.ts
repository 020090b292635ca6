import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';

// With an app id the endpoint belongs to Azure Bot Service: a request without a valid JWT is refused.
let server: TestServer;
beforeAll(async () => {
    server = await startTestServer({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'not-a-real-secret' });
});
afterAll(async () => server.close());

describe('Bot Framework authentication', () => {
    it('refuses an activity without a bearer token when MICROSOFT_APP_ID is set', async () => {
        const res = await fetch(`${server.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                type: 'message',
                channelId: 'webchat',
                serviceUrl: 'https://webchat.botframework.com/',
                conversation: { id: 'auth' },
                from: { id: 'owner' },
                text: '您好',
            }),
        });
        expect(res.status).toBe(401);
    });
});
