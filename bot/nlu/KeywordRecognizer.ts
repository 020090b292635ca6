import { z } from 'zod';
import { loadDataFile } from '../Phrasebook';
import type { Lexicon } from './Lexicon';
import { Intents, type Emotion, type Intent, type SubLabel, type Understanding } from './NluResult';
import { detectPersona } from './PersonaDetector';
import type { Recognizer } from './Recognizer';

export const IntentKeywordsFile = z.object({
    order: z.array(Intents),
    keywords: z.record(Intents.exclude(['out_of_scope']), z.array(z.string())),
});

/**
 * A first, keyword-based reading of owner messages: enough to route and escalate safely while the trained
 * classifier is built. Escalation words are checked before anything else.
 */
export class KeywordRecognizer implements Recognizer {
    constructor(
        private readonly keywords: z.infer<typeof IntentKeywordsFile>,
        private readonly lexicon: Lexicon,
    ) {}

    static fromFile(file: string, lexicon: Lexicon): KeywordRecognizer {
        return new KeywordRecognizer(loadDataFile(file, IntentKeywordsFile), lexicon);
    }

    recognize(text: string): Understanding {
        const lower = text.toLowerCase();
        const escalations = this.lexicon.escalations(text);
        const emotion = this.emotion(text, escalations.includes('abuse'));
        const matched = this.keywords.order.find((intent) =>
            intent === 'out_of_scope' ? false : this.keywords.keywords[intent].some((w) => lower.includes(w.toLowerCase())),
        );
        let intent: Intent = matched ?? 'out_of_scope';
        if (escalations.includes('emergency')) intent = 'emergency';
        else if (!matched && escalations.includes('requested')) intent = 'human_agent';
        else if (!matched && escalations.some((r) => r === 'legal_threat' || r === 'abuse')) intent = 'complaint';
        const escalationReason = intent === 'human_agent' ? 'requested' : (escalations.find((r) => r !== 'requested') ?? null);
        return {
            intent,
            sub: this.sub(intent, text),
            confidence: matched || escalationReason ? 0.6 : 0.3,
            persona: detectPersona(text),
            emotion,
            escalationReason,
        };
    }

    private emotion(text: string, abusive: boolean): Emotion {
        if (abusive || this.lexicon.hits('angry', text) > 0) return 'angry';
        return this.lexicon.hits('upset', text) > 0 ? 'upset' : 'calm';
    }

    private sub(intent: Intent, text: string): SubLabel | null {
        if (intent === 'complaint') {
            if (/费|收了|多收|钱|价/.test(text)) return 'fee';
            if (/电梯|门禁|积水|坏|漏|灯|路|设施|设备/.test(text)) return 'facility';
            return 'service';
        }
        if (intent === 'fee_arrears') {
            if (/困难|没收入|失业|生病|分期|缓|分.个月/.test(text)) return 'hardship';
            if (/没人住|空置|没签|公共收益|不该交/.test(text)) return 'misconception';
            return 'service_dissatisfaction';
        }
        return null;
    }
}
