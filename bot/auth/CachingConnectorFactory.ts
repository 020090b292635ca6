import { ConnectorFactory, type ConnectorClient } from 'botframework-connector';
import type { BoundedCache } from './BoundedCache';
import { addChannelSendDeadline } from './ChannelSendDeadline';

/**
 * Hands out one connector client per (app, service URL, audience), created by the stock factory on first need, each
 * with a deadline on its calls to the channel.
 */
export class CachingConnectorFactory extends ConnectorFactory {
    constructor(
        private readonly inner: ConnectorFactory,
        private readonly appId: string,
        private readonly cache: BoundedCache<Promise<ConnectorClient>>,
        private readonly sendTimeoutMs: number,
    ) {
        super();
    }

    override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return this.cache.get(`${this.appId}\n${serviceUrl}\n${audience ?? ''}`, async () => addChannelSendDeadline(await this.inner.create(serviceUrl, audience), this.sendTimeoutMs));
    }
}
