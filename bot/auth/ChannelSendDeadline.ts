import type { ConnectorClient } from 'botframework-connector';

/** The part of @azure/core-rest-pipeline's pipeline policy this needs (typed here: the package is botbuilder's, not ours). */
interface PipelineRequestLike {
    abortSignal?: AbortSignal;
}
interface PipelineLike {
    addPolicy(policy: { name: string; sendRequest(request: PipelineRequestLike, next: (request: PipelineRequestLike) => Promise<unknown>): Promise<unknown> }): void;
}

/**
 * Puts a deadline on every call a connector client makes to the owner's channel, retries included. The stock client
 * has none and retries a refused connection for 9–12 s, so an address that did not answer held a turn (and a staff
 * member) that long, or for ever. botframework-connector's factory replaces any request policies it is given, so
 * the policy is added to the client's pipeline itself; added without a phase, it runs ahead of the retry policy and
 * its one signal covers every attempt.
 */
export function addChannelSendDeadline(client: ConnectorClient, timeoutMs: number): ConnectorClient {
    const pipeline = (client as unknown as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
    // Fail loudly if botframework-connector changes this: sends without a deadline would come back silently.
    if (typeof pipeline?.addPolicy !== 'function') throw new Error('botframework-connector: the connector client has no pipeline to put a send deadline on');
    pipeline.addPolicy({
        name: 'linliChannelSendDeadline',
        sendRequest: (request, next) => {
            const deadline = AbortSignal.timeout(timeoutMs);
            request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, deadline]) : deadline;
            return next(request);
        },
    });
    return client;
}
