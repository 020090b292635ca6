import {
    BotFrameworkAuthentication,
    JwtTokenValidation,
    type ConnectorFactory,
    type AuthenticateRequestResult,
    type BotFrameworkClient,
    type ClaimsIdentity,
    type ConnectorClient,
    type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { BoundedCache } from './BoundedCache';
import { CachingConnectorFactory } from './CachingConnectorFactory';

/** At most this many clients are kept per cache; the service URL comes from the request, so the cache must be bounded. */
const MAX_CLIENTS = 64;

/**
 * Stock authentication (JWT checks unchanged), but the connector and user-token clients are reused across turns.
 * CloudAdapter otherwise builds two Azure ServiceClients — a whole HTTP pipeline each — for every incoming activity,
 * even when the replies travel back in the response (expectReplies); under load that was ~6% of Linli's CPU.
 * A client holds no per-turn state: its credentials cache their own tokens.
 */
export class CachingBotFrameworkAuthentication extends BotFrameworkAuthentication {
    private readonly connectors = new BoundedCache<Promise<ConnectorClient>>(MAX_CLIENTS);
    private readonly userTokenClients = new BoundedCache<Promise<UserTokenClient>>(MAX_CLIENTS);

    constructor(private readonly inner: BotFrameworkAuthentication) {
        super();
    }

    override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
        return this.withCachedFactory(await this.inner.authenticateRequest(activity, authHeader));
    }

    override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
        return this.withCachedFactory(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
    }

    override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
        return this.cachedFactory(claimsIdentity, this.inner.createConnectorFactory(claimsIdentity));
    }

    override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
        const appId = JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '';
        return this.userTokenClients.get(appId, () => this.inner.createUserTokenClient(claimsIdentity));
    }

    override createBotFrameworkClient(): BotFrameworkClient {
        return this.inner.createBotFrameworkClient();
    }

    override getOriginatingAudience(): string {
        return this.inner.getOriginatingAudience();
    }

    override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
        return this.inner.authenticateChannelRequest(authHeader);
    }

    private withCachedFactory(result: AuthenticateRequestResult): AuthenticateRequestResult {
        return result.connectorFactory ? { ...result, connectorFactory: this.cachedFactory(result.claimsIdentity, result.connectorFactory) } : result;
    }

    private cachedFactory(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
        const appId = JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '';
        return new CachingConnectorFactory(factory, appId, this.connectors);
    }
}
