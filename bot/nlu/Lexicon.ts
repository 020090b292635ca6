import { z } from 'zod';
import { loadDataFile } from '../Phrasebook';
import { EscalationReasons, type EscalationReason } from './NluResult';

export const LexiconFile = z.object({
    escalation: z.record(EscalationReasons.exclude(['repeated_anger', 'not_understood', 'unresolved']), z.array(z.string().min(1)).min(1)),
    emotion: z.object({ angry: z.array(z.string().min(1)), upset: z.array(z.string().min(1)) }),
});
export type LexiconData = z.infer<typeof LexiconFile>;

/** Words that make a message an escalation or show emotion, matched as lower-case substrings. */
export class Lexicon {
    constructor(private readonly data: LexiconData) {}

    static fromFile(file: string): Lexicon {
        return new Lexicon(loadDataFile(file, LexiconFile));
    }

    /** Escalation reasons found in the text, most serious first. */
    escalations(text: string): EscalationReason[] {
        const lower = text.toLowerCase();
        const order: (keyof LexiconData['escalation'])[] = ['emergency', 'safety', 'legal_threat', 'abuse', 'requested'];
        return order.filter((reason) => this.data.escalation[reason].some((w) => matches(lower, w)));
    }

    hits(list: 'angry' | 'upset', text: string): number {
        const lower = text.toLowerCase();
        return this.data.emotion[list].filter((w) => matches(lower, w)).length;
    }
}

/** Latin words must stand alone ("sb" is not inside "usb"); Chinese words match anywhere. */
function matches(lowerText: string, word: string): boolean {
    const w = word.toLowerCase();
    if (!/^[a-z0-9]+$/.test(w)) return lowerText.includes(w);
    return new RegExp(`(?<![a-z0-9])${w}(?![a-z0-9])`).test(lowerText);
}
