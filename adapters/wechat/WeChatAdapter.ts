import { randomUUID } from 'node:crypto';
import {
    ActivityTypes,
    BotAdapter,
    TurnContext,
    type Activity,
    type ConversationReference,
    type ResourceResponse,
} from 'botbuilder';
import { OutsideWindowError } from '../../bot/channels/OutsideWindowError';
import type { Logger } from '../../bot/logger';
import type { ContinueConversation } from '../../bot/proactive/reachOwner';
import type { ExpiringKeys } from '../../bot/storage/ExpiringKeys';
import type { CustomerServiceWindow } from './CustomerServiceWindow';
import { WeChatApiError, type WeChatApiClient } from './WeChatApiClient';
import { packMessages, renderReply } from './WeChatText';

export const WECHAT_CHANNEL_ID = 'wechat';

/** Conversation ids of WeChat owners: `wx:<openid>` (unique across channels, as the contract asks). */
export function conversationIdOf(openid: string): string {
    return `wx:${openid}`;
}

export function openidOf(conversationId: string): string {
    return conversationId.startsWith('wx:') ? conversationId.slice(3) : conversationId;
}

/** WeChat will not take any message for this owner now (45047 too many, 45015 window passed, 43004 unfollowed). */
const UNREACHABLE_ERRORS: ReadonlyMap<number, string> = new Map([
    [45047, 'WeChat refused: customer-service messages used up (45047)'],
    [45015, 'WeChat refused: the 48-hour window has passed (45015)'],
    [43004, 'WeChat refused: the owner no longer follows the account (43004)'],
]);

/** The account has no customer-service API (48001, e.g. unverified): answers go in the passive reply only. */
export const NO_CUSTOMER_SERVICE_API = 48001;
/** Checked again after this long, in case the account has been verified meanwhile. */
const PASSIVE_ONLY_MS = 3600_000;
const PASSIVE_ONLY_KEY = 'wechat:passive-only';

/** The owner's channel can not take messages at all (48001, or WeChat not answering): a 502 for the agent. */
export class WeChatSendError extends Error {
    constructor(message: string, cause?: unknown) {
        super(message, { cause });
        this.name = 'WeChatSendError';
    }
}

/** Turn-state key: the replies of an owner's turn, collected to answer in one passive reply. */
const COLLECTED = Symbol('wechat.replies');

/** A turn's replies as WeChat texts, and the choices the last of them offered (numbered in the text). */
export interface TurnAnswer {
    texts: string[];
    choices: string[];
}

export interface WeChatAdapterDeps {
    api: WeChatApiClient;
    window: CustomerServiceWindow;
    keys: ExpiringKeys;
    logger: Logger;
}

/**
 * Bot Framework's side of WeChat: an owner's turn runs through the usual pipeline with its replies collected (the
 * webhook decides whether they go passively or as customer-service messages); proactive turns (agents, notices,
 * follow-ups, reminders) send each message through the customer-service API, checked against and counted in the
 * owner's window.
 */
export class WeChatAdapter extends BotAdapter {
    constructor(private readonly deps: WeChatAdapterDeps) {
        super();
    }

    /** Runs one owner activity through the pipeline; the replies come back instead of being sent. */
    async runTurn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<TurnAnswer> {
        const collected: Partial<Activity>[] = [];
        const context = new TurnContext(this, activity);
        context.turnState.set(COLLECTED, collected);
        await this.runMiddleware(context, logic);
        const rendered = collected.map(renderReply).filter((r) => r !== null);
        const choices = rendered.findLast((r) => r.choices.length > 0)?.choices ?? [];
        return { texts: packMessages(rendered.map((r) => r.text)), choices };
    }

    override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
        const collected = context.turnState.get(COLLECTED) as Partial<Activity>[] | undefined;
        const responses: ResourceResponse[] = [];
        for (const activity of activities) {
            if (collected) collected.push(activity);
            else if (activity.type === ActivityTypes.Message) {
                const rendered = renderReply(activity);
                if (rendered) await this.deliver(context.activity.conversation?.id ?? '', packMessages([rendered.text]));
            }
            // Typing, traces and handoff events have no WeChat form: taken and dropped.
            responses.push({ id: randomUUID() });
        }
        return responses;
    }

    override updateActivity(): Promise<void> {
        return Promise.reject(new Error('WeChat messages can not be edited'));
    }

    override deleteActivity(): Promise<void> {
        return Promise.reject(new Error('WeChat messages can not be withdrawn'));
    }

    override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
        const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
        await this.runMiddleware(new TurnContext(this, activity), logic);
    }

    /** The way back to WeChat owners, for the owner-channel registry. */
    readonly wayBack: ContinueConversation = (reference, logic) => this.continueConversation(reference, logic);

    /** Whether the account may use the customer-service API (false after WeChat answered 48001, for an hour). */
    async passiveOnly(): Promise<boolean> {
        return (await this.deps.keys.get(PASSIVE_ONLY_KEY)) !== null;
    }

    /**
     * Customer-service messages, in order, each within the owner's window and counted in it. Throws
     * OutsideWindowError when the window does not allow one (nothing more is sent), WeChatSendError when WeChat can
     * not take messages at all.
     */
    async deliver(conversationId: string, texts: string[]): Promise<void> {
        const openid = openidOf(conversationId);
        for (const text of texts) {
            if (await this.passiveOnly()) throw new WeChatSendError('the account has no customer-service API (48001): passive replies only');
            const taken = await this.deps.window.take(openid);
            if ('refused' in taken) throw new OutsideWindowError(conversationId, taken.refused);
            try {
                await this.deps.api.sendText(openid, text);
            } catch (error) {
                // Not sent, so not counted.
                await taken.giveBack().catch(() => undefined);
                if (!(error instanceof WeChatApiError)) throw error;
                const unreachable = UNREACHABLE_ERRORS.get(error.errcode);
                if (unreachable) {
                    await this.deps.window.markUnreachable(openid, unreachable);
                    throw new OutsideWindowError(conversationId, unreachable);
                }
                if (error.errcode === NO_CUSTOMER_SERVICE_API) {
                    await this.deps.keys.set(PASSIVE_ONLY_KEY, String(error.errcode), PASSIVE_ONLY_MS);
                    this.deps.logger.warn({ errcode: error.errcode }, 'wechat: no customer-service API on this account; answering passively only');
                }
                throw new WeChatSendError(error.message, error);
            }
        }
    }
}
