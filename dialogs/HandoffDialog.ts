import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import type { HandoffStarter } from './HandoffStarter';
import type { SafetyAdvice } from '../bot/knowledge/SafetyAdvice';

export const HANDOFF_DIALOG = 'handoff';

/** Tells the owner a person is coming, queues the conversation for the agents and sends `handoff.initiate`. */
export class HandoffDialog extends Dialog {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly starter: HandoffStarter,
        private readonly safety: SafetyAdvice,
    ) {
        super(HANDOFF_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(dc.context);
        const nlu = reading?.nlu;
        // A threat of harm that names a hazard (someone at risk of hurting themselves) gets its advice first.
        if (nlu?.escalationReason === 'safety') {
            const advice = this.safety.message(reading?.text ?? '', this.phrasebook.say('emergency_intro', nlu.persona));
            if (advice.hazards.length > 0) await dc.context.sendActivity(advice.text);
        }
        await dc.context.sendActivity(this.phrasebook.say('handoff_coming', nlu?.persona));
        await this.starter.start(dc.context, nlu?.escalationReason ?? 'requested');
        return dc.endDialog();
    }
}
