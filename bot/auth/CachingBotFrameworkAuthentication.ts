import {
    AuthenticationError,
    BotFrameworkAuthentication,
    JwtTokenValidation,
    type ConnectorFactory,
    type AuthenticateRequestResult,
    type BotFrameworkClient,
    type ClaimsIdentity,
    type ConnectorClient,
    type UserTokenClient,
} from 'botframework-connector';
import { StatusCodes, type Activity } from 'botbuilder';
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

    constructor(
        private readonly inner: BotFrameworkAuthentication,
        /** The deadline on each call to a channel (CHANNEL_SEND_TIMEOUT_MS). */
        private readonly sendTimeoutMs: number,
    ) {
        super();
    }

    override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
        let result: AuthenticateRequestResult;
        try {
            result = await this.inner.authenticateRequest(activity, authHeader);
        } catch (error) {
            // A token that fails its checks is unauthorised whatever threw: jsonwebtoken's own errors (a bad signature on
            // a known key id) otherwise reach the adapter as something else and answer 500.
            if (error instanceof AuthenticationError) throw error;
            throw new AuthenticationError(`token rejected: ${error instanceof Error ? error.message : String(error)}`, StatusCodes.UNAUTHORIZED);
        }
        return this.withCachedFactory(result);
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
        return new CachingConnectorFactory(factory, appId, this.connectors, this.sendTimeoutMs);
    }
}
