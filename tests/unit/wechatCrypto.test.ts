import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WeChatCrypto, WeChatCryptoError, wechatSignature } from '../../adapters/wechat/WeChatCrypto';
import { WeChatXml, WeChatXmlError } from '../../adapters/wechat/WeChatXml';

/** WeChat's own samples (WXBizMsgCrypt), copied from the shared reference. */
const vectors = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'wechat-vectors.json'), 'utf8')) as {
    encrypt: { encodingAESKey: string; appId: string; random: string; plaintext: string; ciphertext: string };
    decrypt: { token: string; encodingAESKey: string; appId: string; msg_signature: string; timestamp: string; nonce: string; encrypt: string; expected: string };
    verifyUrl: { token: string; encodingAESKey: string; appId: string; msg_signature: string; timestamp: string; nonce: string; echostr: string; expected: string };
};

describe('WeChat message crypto against the official vectors', () => {
    it('encrypts the Official Account sample to its ciphertext', () => {
        const v = vectors.encrypt;
        expect(new WeChatCrypto(v.encodingAESKey, v.appId).encrypt(v.plaintext, Buffer.from(v.random))).toBe(v.ciphertext);
    });

    it('decrypts the Official Account sample and checks its msg_signature', () => {
        const v = vectors.decrypt;
        expect(wechatSignature(v.token, v.timestamp, v.nonce, v.encrypt)).toBe(v.msg_signature);
        expect(new WeChatCrypto(v.encodingAESKey, v.appId).decrypt(v.encrypt)).toBe(v.expected);
    });

    it("decrypts WeCom's URL-check sample (decrypt and msg_signature routines only)", () => {
        const v = vectors.verifyUrl;
        expect(wechatSignature(v.token, v.timestamp, v.nonce, v.echostr)).toBe(v.msg_signature);
        expect(new WeChatCrypto(v.encodingAESKey, v.appId).decrypt(v.echostr)).toBe(v.expected);
    });

    it('refuses a message whose appId trailer is another account, and a broken ciphertext', () => {
        const v = vectors.decrypt;
        expect(() => new WeChatCrypto(v.encodingAESKey, 'wx0000000000000000').decrypt(v.encrypt)).toThrow(WeChatCryptoError);
        expect(() => new WeChatCrypto(v.encodingAESKey, v.appId).decrypt('AAAA')).toThrow(WeChatCryptoError);
        expect(() => new WeChatCrypto(v.encodingAESKey, v.appId).decrypt(v.encrypt.slice(0, 64))).toThrow(WeChatCryptoError);
    });

    it('round-trips a reply', () => {
        const c = new WeChatCrypto(vectors.encrypt.encodingAESKey, vectors.encrypt.appId);
        expect(c.decrypt(c.encrypt('<xml><Content><![CDATA[您好]]></Content></xml>'))).toBe('<xml><Content><![CDATA[您好]]></Content></xml>');
    });
});

describe('WeChat XML', () => {
    const xml = new WeChatXml();

    it('reads the decrypted sample as strings (MsgId is not rounded to a float)', () => {
        const fields = xml.parse(vectors.decrypt.expected);
        expect(fields).toMatchObject({ ToUserName: 'gh_10f6c3c3ac5a', MsgType: 'text', Content: 'abcdteT', MsgId: '6054768590064713728', CreateTime: '1409735668' });
    });

    it('refuses DTDs and entity declarations, and resolves no entity', () => {
        expect(() => xml.parse('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "b">]><xml><A>&a;</A></xml>')).toThrow(WeChatXmlError);
        expect(() => xml.parse('<!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml><A>&xxe;</A></xml>')).toThrow(WeChatXmlError);
        expect(xml.parse('<xml><A>&a; &amp; &#20320;</A></xml>').A).toBe('&a; & 你');
    });

    it('refuses what is not one <xml> message', () => {
        for (const bad of ['<xml><A>1</A>', '<foo><A>1</A></foo>', 'success', '', '<xml>text</xml>', `${'<a>'.repeat(50)}${'</a>'.repeat(50)}`]) {
            expect(() => xml.parse(bad), bad).toThrow(WeChatXmlError);
        }
    });

    it('writes CDATA that survives a "]]>" in the text', () => {
        const out = xml.build({ ToUserName: 'o1', CreateTime: 12, Content: 'a]]>b' });
        expect(xml.parse(out)).toMatchObject({ ToUserName: 'o1', CreateTime: '12', Content: 'a]]>b' });
    });
});
