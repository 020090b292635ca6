import { z } from 'zod';
import { loadDataFile } from '../dataFile';

export const MessageShapeFile = z
    .object({
        $comment: z.string().optional(),
        /** A message made only of these (and punctuation) is thanks or agreement after an answer. */
        thanks: z.array(z.string().min(1)).min(1),
        /** A message made only of these (and punctuation) says the last answer did not land. */
        puzzled: z.array(z.string().min(1)).min(1),
        english: z
            .object({
                minLetters: z.number().int().min(1).max(100),
                minLettersReason: z.string().min(1),
                maxHanShare: z.number().min(0).max(1),
                maxHanShareReason: z.string().min(1),
            })
            .strict(),
    })
    .strict();
export type MessageShapeData = z.infer<typeof MessageShapeFile>;

/**
 * What a message is when it has no Chinese words to classify: `thanks` (👍), `puzzled` (？？？), `punctuation`
 * (。。。！！), `english`; null for an ordinary message.
 */
export type MessageShape = 'thanks' | 'puzzled' | 'punctuation' | 'english';

/** Emoji, symbols, punctuation, spaces, skin tones and emoji joiners (not digits: a number is an answer). */
const WORDLESS = /^[\p{Extended_Pictographic}\p{P}\p{S}\s\u200d\ufe0f\u{1f3fb}-\u{1f3ff}]+$/u;
const HAN = /\p{Script=Han}/gu;
const LATIN = /[A-Za-z]/g;

/** Reads the shape of a message from the data in knowledge/message-shapes.json; a few regex tests, no model. */
export class MessageShapeReader {
    constructor(private readonly data: MessageShapeData) {}

    static fromFile(file: string): MessageShapeReader {
        return new MessageShapeReader(loadDataFile(file, MessageShapeFile));
    }

    read(text: string): MessageShape | null {
        const trimmed = text.trim();
        if (trimmed === '') return null;
        if (this.data.thanks.includes(trimmed)) return 'thanks';
        if (WORDLESS.test(trimmed)) {
            // Puzzlement wins over thanks when both are there ("👍？"): the owner is still asking.
            if (this.data.puzzled.some((mark) => trimmed.includes(mark))) return 'puzzled';
            if (this.data.thanks.some((mark) => trimmed.includes(mark))) return 'thanks';
            return 'punctuation';
        }
        const letters = trimmed.match(LATIN)?.length ?? 0;
        const han = trimmed.match(HAN)?.length ?? 0;
        const { minLetters, maxHanShare } = this.data.english;
        if (letters >= minLetters && han / (han + letters) <= maxHanShare) return 'english';
        return null;
    }
}
