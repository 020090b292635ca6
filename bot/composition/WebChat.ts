import { createHmac } from 'node:crypto';
import type { Server } from 'restify';
import { DirectLineAdapter } from '../../adapters/directline/DirectLineAdapter';
import { DirectLineRoutes } from '../../adapters/directline/DirectLineRoutes';
import { DirectLineStream } from '../../adapters/directline/DirectLineStream';
import { DirectLineTokens } from '../../adapters/directline/DirectLineTokens';
import { WebConversations } from '../../adapters/directline/WebConversations';
import { ChatPage } from '../../adapters/directline/ChatPage';
import { registerChatTokenRoute } from '../../adapters/directline/ChatTokenRoute';
import { registerChatUnavailable } from '../../adapters/directline/ChatUnavailablePage';
import type { Config } from '../config';
import { ClientAddress } from '../http/ClientAddress';
import { RateLimiter } from '../http/RateLimiter';
import type { Linli } from '../Linli';
import type { Logger } from '../logger';

export interface WebChatOptions {
    /** Epoch milliseconds for tokens (tests move it to expire one without waiting). */
    now?: () => number;
}

/** What the web channel exposes to the process (the bench and tests reach its parts). */
export interface WebChat {
    conversations: WebConversations;
    tokens: DirectLineTokens;
}

/**
 * The web channel, wired in one place: Linli's own Direct Line endpoint (routes, WebSocket stream, the adapter that
 * runs its turns, registered as channel `webchat` for every proactive message), the owner page and its token route. Without
 * DIRECT_LINE_SECRET, one start-up line says web chat is off, /chat says so and /v3/directline answers 404.
 */
export function mountWebChat(server: Server, linli: Linli, config: Config, logger: Logger, options: WebChatOptions = {}): WebChat | null {
    if (!config.DIRECT_LINE_SECRET) {
        logger.info('DIRECT_LINE_SECRET is not set: web chat is off (/chat says so, /v3/directline answers 404)');
        registerChatUnavailable(server, linli.phrases.say('web_chat_not_set_up'));
        return null;
    }
    const now = options.now ?? (() => linli.clock().getTime());
    const tokens = new DirectLineTokens(config.DIRECT_LINE_SECRET, now);
    const adapter = new DirectLineAdapter(linli.conversationLog, () => new Date(now()));
    const conversations = new WebConversations(linli.conversationLog, adapter, (context) => linli.bot.run(context), () => new Date(now()));
    linli.attachOwn(adapter, ['webchat'], (reference, logic) => adapter.continueConversation(reference, logic));
    const routes = new DirectLineRoutes({
        conversations,
        tokens,
        publicBaseUrl: config.PUBLIC_BASE_URL ?? null,
        allowedOrigins: config.CHAT_ALLOWED_ORIGINS,
        uploadKey: createHmac('sha256', config.DIRECT_LINE_SECRET).update('linli uploads').digest(),
        logger,
    });
    routes.register(server);
    new DirectLineStream(linli.conversationLog, tokens, logger).attach(server.server);
    registerChatTokenRoute(server, {
        conversations,
        tokens,
        limiter: new RateLimiter(config.CHAT_TOKEN_RATE_PER_MINUTE),
        addresses: new ClientAddress(config.TRUST_PROXY),
        cookieSeconds: config.CONVERSATION_TTL_SECONDS,
        secure: (config.PUBLIC_BASE_URL ?? '').startsWith('https:'),
    });
    new ChatPage({
        phrases: { web_chat_large_text_offer: linli.phrases.say('web_chat_large_text_offer'), web_chat_cannot_connect: linli.phrases.say('web_chat_cannot_connect') },
        allowedOrigins: config.CHAT_ALLOWED_ORIGINS,
        publicBaseUrl: config.PUBLIC_BASE_URL ?? null,
    }).register(server);
    return { conversations, tokens };
}
