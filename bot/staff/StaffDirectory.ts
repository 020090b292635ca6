import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../logger';
import { ConfiguredTokens } from './ConfiguredTokens';
import {
    DEFAULT_CAPACITY,
    TRAINEE_CAPACITY,
    hasRole,
    publicAccount,
    tokenAccount,
    type StaffAccount,
    type StaffAccountRecord,
    type StaffMember,
    type StaffRole,
} from './StaffAccount';
import type { PasswordHasher } from './PasswordHasher';
import type { PresenceRecord, StaffStore } from './StaffStore';

export type PresenceStatus = 'online' | 'away' | 'offline';

/** An agent as the roster shows them. */
export interface AgentPresence {
    account: StaffAccount;
    status: PresenceStatus;
    lastSeenAt: string | null;
}

export interface NewAccount {
    name: string;
    displayName: string;
    password: string;
    roles: StaffRole[];
    capacity?: number | undefined;
    trainee?: boolean | undefined;
}

export interface AccountChange {
    displayName?: string | undefined;
    password?: string | undefined;
    roles?: StaffRole[] | undefined;
    capacity?: number | undefined;
    trainee?: boolean | undefined;
    disabled?: boolean | undefined;
}

export interface StaffDirectoryDeps {
    store: StaffStore;
    /** AGENT_TOKENS: token → name. Each is an account holding every role. */
    tokens: Map<string, string>;
    hasher: PasswordHasher;
    clock: () => Date;
    sessionMs: number;
    /** No heartbeat for this long: away. */
    awayMs: number;
    logger: Logger;
    /** Told when an agent's presence changes (the live feed's `agent.presence`). */
    onPresence?: (presence: AgentPresence) => Promise<void>;
}

/** Past this without a heartbeat an agent is offline, not merely away: the console was closed, not left idle. */
const OFFLINE_AFTER_MS = 15 * 60_000;

/**
 * Staff accounts (AGENT_TOKENS entries and stored accounts), their sign-in sessions and their presence. Session tokens
 * are random 32 bytes; only their SHA-256 digest is stored, so the store never holds a usable token.
 */
export class StaffDirectory {
    private readonly configured: ConfiguredTokens;

    constructor(private readonly deps: StaffDirectoryDeps) {
        this.configured = new ConfiguredTokens(deps.tokens);
    }

    /** The staff member a bearer token belongs to, or null (unknown, expired, or the account is disabled). */
    async authenticate(token: string): Promise<StaffMember | null> {
        const configured = this.configured.nameOf(token);
        if (configured) return { account: tokenAccount(configured), expiresAt: null, sessionDigest: null };
        const digest = sha256Hex(token);
        const session = await this.deps.store.session(digest, this.deps.clock());
        if (!session) return null;
        const record = await this.deps.store.account(session.name);
        if (!record || record.disabled) return null;
        return { account: publicAccount(record), expiresAt: session.expiresAt, sessionDigest: digest };
    }

    /** A new session for a name and password; null for a wrong name, wrong password or disabled account alike. */
    async signIn(name: string, password: string): Promise<{ token: string; expiresAt: string; account: StaffAccount } | null> {
        const record = await this.deps.store.account(name);
        if (!record) {
            // The same work as a real check, so the time taken does not say whether the name exists.
            await this.deps.hasher.burn(password);
            return null;
        }
        const matches = await this.deps.hasher.verify(password, record.passwordHash);
        if (!matches || record.disabled) return null;
        const token = randomBytes(32).toString('base64url');
        const expiresAt = new Date(this.deps.clock().getTime() + this.deps.sessionMs).toISOString();
        await this.deps.store.createSession({ digest: sha256Hex(token), name: record.name, expiresAt });
        await this.deps.store.choosePresence(record.name, 'online');
        this.deps.logger.info({ staff: record.name }, 'staff signed in');
        return { token, expiresAt, account: publicAccount(record) };
    }

    /** Ends the member's session; false for an AGENT_TOKENS token, which is configured, not signed in. */
    async signOut(member: StaffMember): Promise<boolean> {
        if (!member.sessionDigest) return false;
        await this.deps.store.deleteSession(member.sessionDigest);
        await this.choose(member.account, 'offline');
        this.deps.logger.info({ staff: member.account.name }, 'staff signed out');
        return true;
    }

    /** Every account: AGENT_TOKENS ones first, then the stored ones by name. */
    async accounts(): Promise<StaffAccount[]> {
        const stored = await this.deps.store.accounts();
        const tokenNames = new Set(this.configured.names);
        return [...this.configured.names.map(tokenAccount), ...stored.filter((r) => !tokenNames.has(r.name)).map(publicAccount)];
    }

    async account(name: string): Promise<StaffAccount | null> {
        if (this.configured.names.includes(name)) return tokenAccount(name);
        const record = await this.deps.store.account(name);
        return record ? publicAccount(record) : null;
    }

    /** What owners see of a staff member (their display name; the name itself when unknown). */
    async displayNameOf(name: string): Promise<string> {
        return (await this.account(name).catch(() => null))?.displayName ?? name;
    }

    /** Stores a new account; 'taken' when the name is an account or an AGENT_TOKENS entry already. */
    async create(input: NewAccount): Promise<StaffAccount | 'taken'> {
        if (this.configured.names.includes(input.name)) return 'taken';
        const now = this.deps.clock().toISOString();
        const trainee = input.trainee ?? false;
        const record: StaffAccountRecord = {
            name: input.name,
            displayName: input.displayName,
            roles: [...new Set(input.roles)],
            capacity: input.capacity ?? (trainee ? TRAINEE_CAPACITY : DEFAULT_CAPACITY),
            trainee,
            disabled: false,
            passwordHash: await this.deps.hasher.hash(input.password),
            createdAt: now,
            updatedAt: now,
        };
        if (!(await this.deps.store.createAccount(record))) return 'taken';
        this.deps.logger.info({ staff: record.name, roles: record.roles }, 'staff account created');
        return publicAccount(record);
    }

    /** Changes an account; a new password or disabling it ends its sessions. */
    async update(name: string, change: AccountChange): Promise<StaffAccount | 'not_found' | 'configured'> {
        if (this.configured.names.includes(name)) return 'configured';
        const current = await this.deps.store.account(name);
        if (!current) return 'not_found';
        const next: StaffAccountRecord = {
            ...current,
            ...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
            ...(change.roles !== undefined ? { roles: [...new Set(change.roles)] } : {}),
            ...(change.capacity !== undefined ? { capacity: change.capacity } : {}),
            ...(change.trainee !== undefined ? { trainee: change.trainee } : {}),
            ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
            ...(change.password !== undefined ? { passwordHash: await this.deps.hasher.hash(change.password) } : {}),
            updatedAt: this.deps.clock().toISOString(),
        };
        // Becoming a trainee without a capacity given: a trainee's capacity.
        if (change.trainee === true && change.capacity === undefined && !current.trainee) next.capacity = Math.min(next.capacity, TRAINEE_CAPACITY);
        if (!(await this.deps.store.updateAccount(next))) return 'not_found';
        if (change.password !== undefined || change.disabled === true) await this.deps.store.deleteSessionsOf(name);
        if (change.disabled === true) await this.choose(publicAccount(next), 'offline');
        // Which fields changed, never their values (a new password among them).
        this.deps.logger.info({ staff: name, changed: Object.keys(change) }, 'staff account changed');
        return publicAccount(next);
    }

    /** The console holds the live feed: the agent is seen now (and back from a sign-out). */
    async seen(account: StaffAccount, connecting = false): Promise<void> {
        const before = await this.presenceOf(account);
        if (connecting && before.status === 'offline') await this.deps.store.choosePresence(account.name, 'online');
        await this.deps.store.touchPresence(account.name, this.deps.clock());
        await this.announceIfChanged(account, before.status);
    }

    /** What the agent says: away, back online (online only while the feed is held), or offline. */
    async choose(account: StaffAccount, chosen: PresenceRecord['chosen']): Promise<AgentPresence> {
        const before = await this.presenceOf(account);
        await this.deps.store.choosePresence(account.name, chosen);
        return this.announceIfChanged(account, before.status);
    }

    async presenceOf(account: StaffAccount): Promise<AgentPresence> {
        const record = (await this.deps.store.presence()).find((p) => p.name === account.name);
        return { account, status: this.statusOf(record), lastSeenAt: record?.lastSeenAt ?? null };
    }

    /** Every account with the agent role, with its presence. */
    async roster(): Promise<AgentPresence[]> {
        const [accounts, records] = await Promise.all([this.accounts(), this.deps.store.presence()]);
        const byName = new Map(records.map((r) => [r.name, r]));
        return accounts
            .filter((a) => hasRole(a, ['agent']) && !a.disabled)
            .map((account) => ({ account, status: this.statusOf(byName.get(account.name)), lastSeenAt: byName.get(account.name)?.lastSeenAt ?? null }));
    }

    statusOf(record: PresenceRecord | undefined): PresenceStatus {
        if (!record?.lastSeenAt || record.chosen === 'offline') return 'offline';
        const age = this.deps.clock().getTime() - Date.parse(record.lastSeenAt);
        if (age > OFFLINE_AFTER_MS) return 'offline';
        return record.chosen === 'away' || age > this.deps.awayMs ? 'away' : 'online';
    }

    private async announceIfChanged(account: StaffAccount, before: PresenceStatus): Promise<AgentPresence> {
        const after = await this.presenceOf(account);
        if (after.status !== before) await this.deps.onPresence?.(after).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'presence not announced'));
        return after;
    }
}

export function sha256Hex(value: string): string {
    return createHash('sha256').update(value).digest('hex');
}
