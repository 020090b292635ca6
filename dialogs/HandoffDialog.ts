import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { HandoffStarter } from './HandoffStarter';

export const HANDOFF_DIALOG = 'handoff';

/** Tells the owner a person is coming, queues the conversation for the agents and sends `handoff.initiate`. */
export class HandoffDialog extends Dialog {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly starter: HandoffStarter,
    ) {
        super(HANDOFF_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const nlu = TurnUnderstanding.get(dc.context)?.nlu;
        await dc.context.sendActivity(this.phrasebook.say('handoff_coming', nlu?.persona));
        await this.starter.start(dc.context, nlu?.escalationReason ?? 'requested');
        return dc.endDialog();
    }
}
