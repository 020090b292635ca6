import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { BOT_FRAMEWORK_CHANNEL_IDS, OwnerChannelRegistry } from '../../bot/channels/OwnerChannelRegistry';
import type { ContinueConversation } from '../../bot/proactive/reachOwner';

/** A channel that records which conversations it was asked to reach. */
function recorder(name: string, sent: string[]): ContinueConversation {
    return async (reference) => {
        sent.push(`${name}:${reference.conversation?.id ?? '?'}`);
    };
}

const nothing = async (_context: TurnContext) => {};

describe('OwnerChannelRegistry', () => {
    it('reaches each owner through the channel registered for the channelId of the conversation, others through the default', async () => {
        const sent: string[] = [];
        const registry = new OwnerChannelRegistry();
        registry.register(BOT_FRAMEWORK_CHANNEL_IDS, recorder('bot-framework', sent));
        registry.registerDefault(recorder('bot-framework', sent));
        registry.register(['webchat'], recorder('web', sent));
        await registry.continueConversation({ channelId: 'msteams', conversation: { id: 'c1', isGroup: false, name: '', conversationType: '' } }, nothing);
        await registry.continueConversation({ channelId: 'webchat', conversation: { id: 'c2', isGroup: false, name: '', conversationType: '' } }, nothing);
        await registry.continueConversation({ channelId: 'someone-else', conversation: { id: 'c3', isGroup: false, name: '', conversationType: '' } }, nothing);
        expect(sent).toEqual(['bot-framework:c1', 'web:c2', 'bot-framework:c3']);
    });

    it('a later registration of a channelId replaces the earlier one (the last adapter attached for it wins)', async () => {
        const sent: string[] = [];
        const registry = new OwnerChannelRegistry();
        registry.register(['emulator'], recorder('first', sent));
        registry.register(['emulator'], recorder('second', sent));
        await registry.continueConversation({ channelId: 'emulator', conversation: { id: 'c1', isGroup: false, name: '', conversationType: '' } }, nothing);
        expect(sent).toEqual(['second:c1']);
    });

    it('with no channel for the conversation and no default, the send fails instead of being dropped', () => {
        const registry = new OwnerChannelRegistry();
        registry.register(['webchat'], recorder('web', []));
        expect(() => registry.continueConversation({ channelId: 'emulator' }, nothing)).toThrow(/owners can not be reached/);
    });

    it('leaves webchat to the channel Linli serves itself', () => {
        expect(BOT_FRAMEWORK_CHANNEL_IDS).toContain('emulator');
        expect(BOT_FRAMEWORK_CHANNEL_IDS).toContain('msteams');
        expect(BOT_FRAMEWORK_CHANNEL_IDS).toContain('directline');
        expect(BOT_FRAMEWORK_CHANNEL_IDS).not.toContain('webchat');
    });
});
