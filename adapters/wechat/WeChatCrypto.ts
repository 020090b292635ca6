import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** WeChat pads to 32-byte blocks (PKCS#7 with k = 32), not AES's 16. */
const BLOCK = 32;

/** A message that could not be decrypted, or whose trailer names another account: the request is refused (401). */
export class WeChatCryptoError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'WeChatCryptoError';
    }
}

/** sha1 of the sorted parts, as WeChat signs: `signature` (token, timestamp, nonce) and `msg_signature` (+ Encrypt). */
export function wechatSignature(...parts: string[]): string {
    return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Compares signatures in constant time (both are hex sha1; a wrong length is simply unequal). */
export function signaturesEqual(given: string, expected: string): boolean {
    const a = Buffer.from(given.toLowerCase());
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Official Account's message encryption (WXBizMsgCrypt): AES-256-CBC with key = base64(EncodingAESKey + '='),
 * iv = the key's first 16 bytes, plaintext = 16 random bytes + 4-byte big-endian length + message + appId.
 * Node's crypto rather than a package: the scheme is a dozen lines, and the WeChat packages on npm are unmaintained.
 */
export class WeChatCrypto {
    private readonly key: Buffer;
    private readonly iv: Buffer;

    constructor(
        encodingAesKey: string,
        private readonly appId: string,
    ) {
        this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
        if (this.key.length !== 32) throw new WeChatCryptoError('EncodingAESKey must decode to 32 bytes');
        this.iv = this.key.subarray(0, 16);
    }

    encrypt(message: string, random: Buffer = randomBytes(16)): string {
        const body = Buffer.from(message, 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32BE(body.length, 0);
        const plain = Buffer.concat([random, length, body, Buffer.from(this.appId, 'utf8')]);
        const pad = BLOCK - (plain.length % BLOCK);
        const cipher = createCipheriv('aes-256-cbc', this.key, this.iv).setAutoPadding(false);
        return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
    }

    /** The message inside `encrypted`; throws WeChatCryptoError when it is broken or its trailer is not our appId. */
    decrypt(encrypted: string): string {
        const { message, appId } = this.open(encrypted);
        if (appId !== this.appId) throw new WeChatCryptoError('the message is for another account (appId trailer)');
        return message;
    }

    /** Decrypts without checking whose it is (the trailer is returned). */
    open(encrypted: string): { message: string; appId: string } {
        const data = Buffer.from(encrypted, 'base64');
        if (data.length === 0 || data.length % 16 !== 0) throw new WeChatCryptoError('the ciphertext is not whole AES blocks');
        let plain: Buffer;
        try {
            const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv).setAutoPadding(false);
            plain = Buffer.concat([decipher.update(data), decipher.final()]);
        } catch (error) {
            throw new WeChatCryptoError(`the ciphertext does not decrypt: ${error instanceof Error ? error.message : String(error)}`);
        }
        const pad = plain[plain.length - 1] ?? 0;
        if (pad < 1 || pad > BLOCK || pad > plain.length) throw new WeChatCryptoError('bad padding');
        const content = plain.subarray(16, plain.length - pad);
        if (content.length < 4) throw new WeChatCryptoError('too short');
        const length = content.readUInt32BE(0);
        if (length > content.length - 4) throw new WeChatCryptoError('the length field runs past the message');
        return { message: content.subarray(4, 4 + length).toString('utf8'), appId: content.subarray(4 + length).toString('utf8') };
    }
}
