import { z } from 'zod';
import { loadDataFile } from './dataFile';
import { Lines, sayLine, type LineValues } from './Lines';
import type { Persona } from './nlu/NluResult';

/** Every line Linli says outside the flows; the keys are fixed here so a missing line stops start-up. */
export const PhraseKeys = z.enum([
    'welcome',
    'greeting',
    'thanks_bye',
    'not_understood',
    'handoff_coming',
    'handoff_wait',
    'handoff_wait_none',
    'handoff_wait_urgent',
    'handoff_accepted',
    'handoff_released',
    'handoff_timeout',
    'handoff_safety_reminder',
    'handoff_transferred',
    'handoff_still_queued',
    'handoff_queued_noted',
    'handoff_queued_after_answer',
    'handoff_queue_ahead',
    'handoff_queue_next',
    'puzzled_rephrase',
    'puzzled_ask',
    'punctuation_only',
    'english_only',
    'offer_person',
    'faq_unsure',
    'clarify',
    'out_of_scope',
    'flow_cancelled',
    'flow_changed',
    'answer_sources',
    'statute_quote',
    'policy_source',
    'arrears_misconception_intro',
    'arrears_shared',
    'emergency_intro',
    'emergency_followup',
    'emergency_location_noted',
    'emergency_still_coming',
    'slot_corrected',
    'ticket_amended',
    'ticket_status_none',
    'ticket_status_header',
    'ticket_status_line',
    'ticket_next_deadline',
    'status_received',
    'status_in_progress',
    'status_replied',
    'status_revisited',
    'status_closed',
    'deadline_response',
    'deadline_feedback',
    'deadline_follow_up',
    'follow_up_ask',
    'follow_up_rate',
    'follow_up_thanks',
    'follow_up_not_fixed',
    'payment_reminder',
    'too_long',
    'empty_message',
    'turn_error',
    'busy',
    'storage_down',
    'ticket_not_recorded',
    'ticket_kept_storage_down',
    'emergency_no_ticket',
    // WeChat: what Linli says to a message it can not read as text, and to photos and locations.
    'wechat_voice_unrecognised',
    'wechat_image_received',
    'wechat_image_no_ticket',
    'location_shared',
    'wechat_unsupported',
    // A flow offers the place an owner gave before instead of asking it again.
    'place_offer',
    'web_chat_not_set_up',
    'web_chat_large_text_offer',
    'web_chat_cannot_connect',
]);
export type PhraseKey = z.infer<typeof PhraseKeys>;

export const PhrasebookFile = z.object({
    phrases: z.record(PhraseKeys, Lines),
});

/** Picks a line for a persona, falling back to the default wording, varying so Linli does not repeat itself. */
export class Phrasebook {
    constructor(
        private readonly phrases: z.infer<typeof PhrasebookFile>['phrases'],
        /** Values every line may use, such as the estate's {hotline} or {installmentPeriods}. */
        private readonly defaults: LineValues = {},
        private readonly random: () => number = Math.random,
    ) {}

    static fromFile(file: string, defaults: LineValues = {}): Phrasebook {
        return new Phrasebook(loadDataFile(file, PhrasebookFile).phrases, defaults);
    }

    say(key: PhraseKey, persona: Persona = 'default', values: LineValues = {}): string {
        return sayLine(this.phrases[key], persona, this.random, values, this.defaults);
    }
}
