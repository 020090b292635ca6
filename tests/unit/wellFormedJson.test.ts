import { describe, expect, it } from 'vitest';
import { parseWellFormedJson, wellFormed } from '../../bot/http/wellFormedJson';

describe('well-formed text from JSON bodies', () => {
    it('replaces half a surrogate pair, high or low, with U+FFFD and keeps whole pairs (emoji) as they are', () => {
        expect(wellFormed('门\ud800坏了')).toBe('门\ufffd坏了');
        expect(wellFormed('\udc00门')).toBe('\ufffd门');
        expect(wellFormed('谢谢👍😊')).toBe('谢谢👍😊');
        expect(wellFormed('\udc00\ud800')).toBe('\ufffd\ufffd');
    });

    it('reaches every string of a parsed body, however deep, and leaves other values alone', () => {
        const body = parseWellFormedJson('{"text":"a\\ud800","channelData":{"list":["\\udc00",1,true,null]}}');
        expect(body).toEqual({ text: 'a\ufffd', channelData: { list: ['\ufffd', 1, true, null] } });
    });
});
