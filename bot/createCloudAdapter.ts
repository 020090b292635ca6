import { CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
// JwtTokenExtractor keeps one key cache per metadata URL in a static map, and offers no other way to bound its fetch.
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import type { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import { BoundedOpenIdMetadata } from './auth/BoundedOpenIdMetadata';
import { CachingBotFrameworkAuthentication } from './auth/CachingBotFrameworkAuthentication';
import type { Config } from './config';
import { LinliCloudAdapter } from './LinliCloudAdapter';
import { createLogger, type Logger } from './logger';

/**
 * The Bot Framework adapter. With MICROSOFT_APP_ID set, every request's JWT is verified; without it the endpoint is
 * open, for the Emulator and local use. Connector clients are reused across turns (see CachingBotFrameworkAuthentication),
 * every call to a channel has a deadline (CHANNEL_SEND_TIMEOUT_MS, see ChannelSendDeadline), and the signing keys are fetched with a bound
 * (BoundedOpenIdMetadata).
 */
export function createCloudAdapter(config: Config, logger: Logger = createLogger('silent')): LinliCloudAdapter {
    const channelMetadata = config.BOT_OPENID_METADATA_URL ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl;
    const emulatorMetadata = config.EMULATOR_OPENID_METADATA_URL ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl;
    for (const url of [channelMetadata, emulatorMetadata]) installBoundedMetadata(url, logger);
    const auth = new ConfigurationBotFrameworkAuthentication(
        {
            MicrosoftAppId: config.MICROSOFT_APP_ID ?? '',
            MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD ?? '',
            MicrosoftAppType: config.MICROSOFT_APP_TYPE,
            MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID ?? '',
            // The public cloud, spelled out (botbuilder uses all of these once any one is given) so the metadata
            // URLs can be set.
            ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
            ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
            ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
            OAuthUrl: AuthenticationConstants.OAuthUrl,
            ToBotFromChannelOpenIdMetadataUrl: channelMetadata,
            ToBotFromEmulatorOpenIdMetadataUrl: emulatorMetadata,
            CallerId: CallerIdConstants.PublicAzureChannel,
        },
    );
    return new LinliCloudAdapter(new CachingBotFrameworkAuthentication(auth, config.CHANNEL_SEND_TIMEOUT_MS), logger);
}

function installBoundedMetadata(url: string, logger: Logger): void {
    const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache?: unknown }).openIdMetadataCache;
    // Fail loudly if botframework-connector changes this: an unbounded fetch would come back silently.
    if (!(cache instanceof Map)) throw new Error('botframework-connector: JwtTokenExtractor.openIdMetadataCache is gone; BoundedOpenIdMetadata can not be installed');
    // Replaced on each call, so the keys' failures are logged by the adapter's own logger.
    (cache as Map<string, OpenIdMetadata>).set(url, new BoundedOpenIdMetadata(url, logger));
}
