import type { ConversationReference, TurnContext } from 'botbuilder';

export type ContinueConversation = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

/**
 * Runs `logic` in the owner's conversation and says whether it went through. The failure is caught inside the
 * proactive turn: left to the adapter, the turn-error handler would swallow it and the caller would think the owner
 * had been told.
 */
export async function reachOwner(continueConversation: ContinueConversation, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<{ ok: true } | { ok: false; error: unknown }> {
    let failure: { error: unknown } | undefined;
    try {
        await continueConversation(reference, async (context) => {
            try {
                await logic(context);
            } catch (error) {
                failure = { error };
            }
        });
    } catch (error) {
        failure = { error };
    }
    return failure ? { ok: false, error: failure.error } : { ok: true };
}
