import { Channels } from 'botbuilder';

/**
 * The `channel` label of the metrics. A channelId is whatever the client wrote in its activity, and every distinct
 * label value is a new series kept for the life of the process: a client choosing them could grow /metrics (and each
 * scrape) without bound. So the label is one of the Bot Framework's channels or Linli's own (`wechat`), and anything
 * else is `other`.
 */
export class ChannelLabel {
    private static readonly KNOWN: ReadonlySet<string> = new Set<string>([...Object.values(Channels), 'wechat']);

    static of(channelId: unknown): string {
        if (channelId === undefined || channelId === null || channelId === '') return 'unknown';
        return typeof channelId === 'string' && ChannelLabel.KNOWN.has(channelId) ? channelId : 'other';
    }
}
