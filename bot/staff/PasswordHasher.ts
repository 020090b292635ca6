import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Staff passwords with scrypt (node:crypto, no native add-on to build): a random 16-byte salt per password, N=2^14,
 * r=8, p=1 (the parameters scrypt's authors give for interactive sign-in: ~50 ms and 16 MiB per attempt), stored as
 * `scrypt$N$r$p$salt$hash`, so stronger parameters later still verify old hashes.
 */
export class PasswordHasher {
    private static readonly KEY_BYTES = 32;

    constructor(private readonly cost: { N: number; r: number; p: number } = { N: 16_384, r: 8, p: 1 }) {}

    async hash(password: string): Promise<string> {
        const salt = randomBytes(16);
        const { N, r, p } = this.cost;
        const key = await derive(password, salt, PasswordHasher.KEY_BYTES, { N, r, p });
        return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
    }

    /** Whether `password` is the one `stored` was made from; false for anything unreadable. */
    async verify(password: string, stored: string): Promise<boolean> {
        const [scheme, n, r, p, salt, key] = stored.split('$');
        if (scheme !== 'scrypt' || !salt || !key) return false;
        const expected = Buffer.from(key, 'base64url');
        const cost = { N: Number(n), r: Number(r), p: Number(p) };
        if (!Object.values(cost).every((v) => Number.isInteger(v) && v > 0) || expected.length === 0) return false;
        // Parameters scrypt refuses (N not a power of two, beyond the memory cap) make an unreadable hash, not a 500.
        const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, cost).catch(() => null);
        return actual !== null && timingSafeEqual(actual, expected);
    }

    /** A hash that no password matches, to spend the same time on an unknown name as on a wrong password. */
    async burn(password: string): Promise<void> {
        await derive(password, Buffer.alloc(16), PasswordHasher.KEY_BYTES, this.cost);
    }
}

function derive(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        // 128 * N * r bytes of memory; the default cap (32 MiB) is enough for these parameters.
        scrypt(password.normalize('NFKC'), salt, length, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
    });
}
