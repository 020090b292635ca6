import { join } from 'node:path';
import { CustomerServiceWindow } from '../../adapters/wechat/CustomerServiceWindow';
import { WECHAT_CHANNEL_ID, WeChatAdapter, openidOf } from '../../adapters/wechat/WeChatAdapter';
import { WeChatApiClient } from '../../adapters/wechat/WeChatApiClient';
import { WeChatMenu } from '../../adapters/wechat/WeChatMenu';
import { WeChatWebhook } from '../../adapters/wechat/WeChatWebhook';
import type { WebhookChannel } from '../channels/WebhookChannel';
import type { Config } from '../config';
import type { Linli } from '../Linli';
import type { Logger } from '../logger';
import { PROJECT_ROOT } from '../paths';

/**
 * The WeChat Official Account channel, when WECHAT_TOKEN is set: its adapter attached to Linli's pipeline and
 * registered as the way back to `wechat` owners, and the webhook the server routes /api/wechat to.
 */
export function attachWeChat(linli: Linli, config: Config, logger: Logger): WebhookChannel | undefined {
    const { WECHAT_TOKEN: token, WECHAT_APP_ID: appId, WECHAT_APP_SECRET: secret } = config;
    if (!token || !appId || !secret) return undefined;
    const keys = linli.expiringKeys;
    const window = new CustomerServiceWindow(keys, linli.clock);
    const api = new WeChatApiClient({ baseUrl: config.WECHAT_API_BASE_URL, appId, secret, keys, logger, timeoutMs: config.CHANNEL_SEND_TIMEOUT_MS });
    const adapter = new WeChatAdapter({ api, window, keys, logger });
    linli.attachOwn(adapter, [WECHAT_CHANNEL_ID], adapter.wayBack);
    linli.ownerChannels.registerStatus(WECHAT_CHANNEL_ID, async (conversationId) => ({ wechat: await window.view(openidOf(conversationId)) }));
    return new WeChatWebhook({
        token,
        appId,
        encodingAesKey: config.WECHAT_ENCODING_AES_KEY,
        budgetMs: config.WECHAT_REPLY_BUDGET_MS,
        adapter,
        keys,
        window,
        menu: WeChatMenu.fromFile(join(PROJECT_ROOT, 'knowledge', 'wechat-menu.json')),
        phrasebook: linli.phrasebook,
        logger,
        clock: linli.clock,
        logic: (context) => linli.bot.run(context),
        keepPhoto: async (ownerId, conversationId, photo) => {
            const open = (await linli.tickets.list({ ownerId }, 20)).find((t) => t.channelId === WECHAT_CHANNEL_ID && t.conversationId === conversationId && t.status !== 'closed');
            if (!open) return null;
            await linli.tickets.update(open.id, { note: `photo from the owner on WeChat: MediaId ${photo.mediaId}, PicUrl ${photo.picUrl}` }, 'wechat');
            return open.id;
        },
        ownerLeft: async (conversationId) => {
            await linli.handoffs.channelNotice(conversationId, 'wechat.unsubscribed', 'the owner unfollowed the Official Account: WeChat messages no longer reach them');
        },
    });
}
