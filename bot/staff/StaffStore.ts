import { z } from 'zod';
import type { StaffAccountRecord } from './StaffAccount';

/** A signed-in session: whose it is and until when. The token itself is never stored, only its SHA-256 digest. */
export const StaffSession = z.object({ digest: z.string().min(1), name: z.string().min(1), expiresAt: z.string() });
export type StaffSession = z.infer<typeof StaffSession>;

/** What an agent chose (`away` holds until they come back), and when their console last held the live feed. */
export const PresenceRecord = z.object({
    name: z.string().min(1),
    chosen: z.enum(['online', 'away', 'offline']),
    lastSeenAt: z.string().nullable(),
});
export type PresenceRecord = z.infer<typeof PresenceRecord>;

/**
 * Staff accounts, their sessions and their presence, shared by every instance. Sessions past `expiresAt` are never
 * returned (Redis lets them expire; SQLite filters and sweeps them).
 */
export interface StaffStore {
    /** Stores a new account; false (nothing written) when the name is taken. */
    createAccount(account: StaffAccountRecord): Promise<boolean>;
    account(name: string): Promise<StaffAccountRecord | null>;
    /** Every account, by name. */
    accounts(): Promise<StaffAccountRecord[]>;
    /** Overwrites an existing account; false when there is none by that name. */
    updateAccount(account: StaffAccountRecord): Promise<boolean>;

    createSession(session: StaffSession): Promise<void>;
    /** The session with this digest, unless it expired by `now`. */
    session(digest: string, now: Date): Promise<StaffSession | null>;
    deleteSession(digest: string): Promise<void>;
    /** Ends every session of an account (password changed, account disabled); returns how many ended. */
    deleteSessionsOf(name: string): Promise<number>;

    /** Records that the agent's console holds the feed (the heartbeat); keeps what they chose. */
    touchPresence(name: string, at: Date): Promise<void>;
    /** What the agent said (`away`, back `online`, `offline` on sign-out). */
    choosePresence(name: string, chosen: PresenceRecord['chosen']): Promise<void>;
    /** Presence of every agent on record. */
    presence(): Promise<PresenceRecord[]>;
}
