import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Handoff } from '../handoff/Handoff';
import type { HandoffService } from '../handoff/HandoffService';

const HANDOFF = Symbol('linli.handoff');

/**
 * While an agent has the conversation (handoff active), the owner's messages go to the agent — on the live feed; the
 * transcript middleware has already recorded them — and the bot stays silent. While the handoff waits in the queue,
 * the messages go to the feed too, and the bot still answers. The handoff is read by `load`, which the
 * lock middleware calls together with the state reads, so routing costs no extra round trip.
 */
export class HandoffRoutingMiddleware implements Middleware {
    constructor(private readonly handoffs: HandoffService) {}

    /** The conversation's handoff as this turn loaded it (null when none, or when the turn is not a message). */
    static handoffOf(context: TurnContext): Handoff | null {
        return (context.turnState.get(HANDOFF) as Handoff | null | undefined) ?? null;
    }

    /** Reads the conversation's handoff into the turn (called by ConversationLockMiddleware next to the state reads). */
    async load(context: TurnContext, force = false): Promise<void> {
        if (context.activity.type !== ActivityTypes.Message) return;
        if (!force && context.turnState.has(HANDOFF)) return;
        context.turnState.set(HANDOFF, await this.handoffs.get(context.activity.conversation.id));
    }

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        if (context.activity.type !== ActivityTypes.Message) return next();
        await this.load(context);
        const handoff = context.turnState.get(HANDOFF) as Handoff | null;
        if (!handoff || handoff.status === 'closed') return next();
        // Agents see the owner's words live whether or not one has accepted yet.
        // A handoff still in the queue also gets the words in its summary, which the queue shows.
        context.turnState.set(HANDOFF, await this.handoffs.ownerMessage(handoff, context.activity.text ?? ''));
        // Until an agent accepts, the bot keeps answering (the owner is not left alone while waiting).
        if (handoff.status === 'queued') return next();
    }
}
