import { ConnectorFactory, type ConnectorClient } from 'botframework-connector';
import type { BoundedCache } from './BoundedCache';

/** Hands out one connector client per (app, service URL, audience), created by the stock factory on first need. */
export class CachingConnectorFactory extends ConnectorFactory {
    constructor(
        private readonly inner: ConnectorFactory,
        private readonly appId: string,
        private readonly cache: BoundedCache<Promise<ConnectorClient>>,
    ) {
        super();
    }

    override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return this.cache.get(`${this.appId}\n${serviceUrl}\n${audience ?? ''}`, () => this.inner.create(serviceUrl, audience));
    }
}
