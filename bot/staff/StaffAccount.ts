import { z } from 'zod';

export const StaffRoles = z.enum(['supervisor', 'agent', 'trainer']);
export type StaffRole = z.infer<typeof StaffRoles>;
export const ALL_ROLES: readonly StaffRole[] = StaffRoles.options;

/** A sign-in name: short, plain, and safe in logs, URLs and transcripts. */
export const StaffName = z.string().regex(/^[A-Za-z0-9._-]{2,32}$/, 'expected 2–32 letters, digits, ".", "_" or "-"');
/** What owners see of the agent (客服小王). */
export const DisplayName = z.string().trim().min(1).max(32);
export const Capacity = z.number().int().min(1).max(20);

/** How many conversations an agent holds at once unless told otherwise; a trainee is offered one at a time. */
export const DEFAULT_CAPACITY = 3;
export const TRAINEE_CAPACITY = 1;

/** A staff account as stored: the password only as its scrypt hash. */
export const StaffAccountRecord = z.object({
    name: StaffName,
    displayName: DisplayName,
    roles: z.array(StaffRoles).min(1),
    capacity: Capacity,
    trainee: z.boolean(),
    disabled: z.boolean(),
    /** `scrypt$N$r$p$salt$hash`, base64url parts (PasswordHasher). */
    passwordHash: z.string().min(1),
    createdAt: z.string(),
    updatedAt: z.string(),
});
export type StaffAccountRecord = z.infer<typeof StaffAccountRecord>;

/** An account as the API shows it: never the hash. `token` accounts come from AGENT_TOKENS. */
export interface StaffAccount {
    name: string;
    displayName: string;
    roles: StaffRole[];
    capacity: number;
    trainee: boolean;
    disabled: boolean;
    source: 'store' | 'token';
    createdAt: string | null;
    updatedAt: string | null;
}

export function publicAccount(record: StaffAccountRecord): StaffAccount {
    const { passwordHash: _hash, ...rest } = record;
    return { ...rest, source: 'store' };
}

/** An AGENT_TOKENS entry as an account: every role, its name shown as is. */
export function tokenAccount(name: string): StaffAccount {
    return { name, displayName: name, roles: [...ALL_ROLES], capacity: DEFAULT_CAPACITY, trainee: false, disabled: false, source: 'token', createdAt: null, updatedAt: null };
}

/** Who is behind a staff request: the account, and when its session ends (null for an AGENT_TOKENS token). */
export interface StaffMember {
    account: StaffAccount;
    expiresAt: string | null;
    /** The SHA-256 digest of the session token (hex), to sign out; null for an AGENT_TOKENS token. */
    sessionDigest: string | null;
}

export function hasRole(account: StaffAccount, roles: readonly StaffRole[]): boolean {
    return roles.some((role) => account.roles.includes(role));
}
