import type { SafetyAdvice } from '../bot/knowledge/SafetyAdvice';
import type { Phrasebook } from '../bot/Phrasebook';
import { TurnUnderstanding } from '../bot/TurnUnderstanding';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogsCore';
import { sendHandoffInitiation } from './handoffEvent';

export const EMERGENCY_DIALOG = 'emergency';

/** Safety steps first, then the person on duty: the owner is never kept waiting for the advice. */
export class EmergencyDialog extends Dialog {
    constructor(
        private readonly phrasebook: Phrasebook,
        private readonly safety: SafetyAdvice,
    ) {
        super(EMERGENCY_DIALOG);
    }

    override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const reading = TurnUnderstanding.get(dc.context);
        const persona = reading?.nlu.persona;
        const { steps } = this.safety.stepsFor(reading?.text ?? '');
        const numbered = steps.map((step, i) => `${i + 1}. ${step}`).join('\n');
        await dc.context.sendActivity(`${this.phrasebook.say('emergency_intro', persona)}\n${numbered}`);
        await dc.context.sendActivity(`${this.phrasebook.say('emergency_followup', persona)}\n${this.phrasebook.say('handoff_coming', persona)}`);
        await sendHandoffInitiation(dc.context, 'emergency');
        return dc.endDialog();
    }
}
