import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../bot/staff/PasswordHasher';

describe('PasswordHasher (scrypt)', () => {
    // Cheap parameters for the unit test; the server uses N=16384 (checked in the shift desk e2e test).
    const hasher = new PasswordHasher({ N: 1024, r: 8, p: 1 });

    it('verifies the password a hash was made from and nothing else; each hash has its own salt', async () => {
        const hash = await hasher.hash('客服小王的密码-2026');
        expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
        expect(hash).not.toContain('密码');
        expect(await hasher.verify('客服小王的密码-2026', hash)).toBe(true);
        expect(await hasher.verify('客服小王的密码-2027', hash)).toBe(false);
        expect(await hasher.verify('', hash)).toBe(false);
        expect(await hasher.hash('客服小王的密码-2026')).not.toBe(hash);
    });

    it('verifies a hash made with other parameters (they are stored with it), and refuses what is not a hash', async () => {
        const older = await new PasswordHasher({ N: 512, r: 4, p: 1 }).hash('long enough secret');
        expect(await hasher.verify('long enough secret', older)).toBe(true);
        for (const bad of ['', 'plain text', 'scrypt$0$8$1$c2FsdA$a2V5', 'scrypt$x$8$1$c2FsdA$a2V5', 'bcrypt$1024$8$1$c2FsdA$a2V5', 'scrypt$1024$8$1$c2FsdA$', 'scrypt$1000$8$1$c2FsdA$a2V5', 'scrypt$1073741824$8$1$c2FsdA$a2V5']) {
            expect(await hasher.verify('long enough secret', bad)).toBe(false);
        }
    });
});
