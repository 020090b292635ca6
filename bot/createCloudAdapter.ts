import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { CachingBotFrameworkAuthentication } from './auth/CachingBotFrameworkAuthentication';
import type { Config } from './config';

/**
 * The Bot Framework adapter. With MICROSOFT_APP_ID set, every request's JWT is verified; without it the endpoint is
 * open, for the Emulator and local use. Connector clients are reused across turns (see CachingBotFrameworkAuthentication).
 */
export function createCloudAdapter(config: Config): CloudAdapter {
    const auth = new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: config.MICROSOFT_APP_ID ?? '',
        MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD ?? '',
        MicrosoftAppType: config.MICROSOFT_APP_TYPE,
        MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID ?? '',
    });
    return new CloudAdapter(new CachingBotFrameworkAuthentication(auth));
}
