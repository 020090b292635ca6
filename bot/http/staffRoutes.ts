import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { JsonBodyReader, STAFF_BODY_BYTES } from './JsonBodyReader';
import { describeIssues, sendError, staffMember } from './apiErrors';
import { RateLimiter } from './RateLimiter';
import type { StaffAuth } from './StaffAuth';
import { Capacity, DisplayName, StaffName, StaffRoles } from '../staff/StaffAccount';
import type { AgentPresence } from '../staff/StaffDirectory';
import type { HandoffService } from '../handoff/HandoffService';
import type { Logger } from '../logger';

export interface StaffRouteDeps {
    auth: StaffAuth;
    handoffs: HandoffService;
    logger: Logger;
    /** Told when an agent came online or back (offers are made at once). */
    onAvailable?: () => void;
}

/** Long enough to resist guessing at the rate allowed; the upper bound only keeps scrypt's input sane. */
const Password = z.string().min(8, 'at least 8 characters').max(200);
const Roles = z.array(StaffRoles).min(1, 'at least one role');

const SignInBody = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict();
const NewAccountBody = z
    .object({ name: StaffName, displayName: DisplayName, password: Password, roles: Roles, capacity: Capacity.optional(), trainee: z.boolean().optional() })
    .strict();
const AccountChangeBody = z
    .object({ displayName: DisplayName, password: Password, roles: Roles, capacity: Capacity, trainee: z.boolean(), disabled: z.boolean() })
    .partial()
    .strict()
    .refine((change) => Object.keys(change).length > 0, 'nothing to change');
const PresenceBody = z.object({ status: z.enum(['online', 'away']) }).strict();

/** Sign-in attempts per name per minute: enough for typos, too few to guess a password. */
const SIGN_INS_PER_NAME_PER_MINUTE = 10;

const staffBody = new JsonBodyReader(STAFF_BODY_BYTES).handler;

/**
 * Staff accounts (supervisors manage them), sign-in sessions, and agents' presence. Passwords and their hashes never
 * leave the directory: every answer is an account without them, and no log line holds either.
 */
export function registerStaffRoutes(server: Server, deps: StaffRouteDeps): void {
    const { auth } = deps;
    const directory = auth.directory;
    const signIns = new RateLimiter(SIGN_INS_PER_NAME_PER_MINUTE);

    server.post('/api/sessions', staffBody, async (req: Request, res: Response) => {
        const body = SignInBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        const { name, password } = body.data;
        if (!signIns.allow(name.toLowerCase())) {
            res.setHeader('Retry-After', String(signIns.retryAfterSeconds()));
            return sendError(res, 429, 'too_many_requests', 'too many sign-in attempts for this name; try again shortly');
        }
        const session = await directory.signIn(name, password);
        if (!session) {
            deps.logger.warn({ staff: name.slice(0, 64) }, 'staff sign-in refused');
            return sendError(res, 401, 'invalid_credentials', 'the name or password is wrong, or the account is disabled');
        }
        res.status(201);
        res.json(session);
    });

    server.del('/api/sessions/current', async (req: Request, res: Response) => {
        const member = await staffMember(auth, req, res);
        if (!member) return;
        if (!(await directory.signOut(member))) return sendError(res, 409, 'not_a_session', 'an AGENT_TOKENS token is configured, not signed in; it can not be signed out');
        res.send(204);
    });

    server.get('/api/accounts', async (req: Request, res: Response) => {
        if (!(await staffMember(auth, req, res, ['supervisor']))) return;
        res.json({ accounts: await directory.accounts() });
    });

    server.post('/api/accounts', staffBody, async (req: Request, res: Response) => {
        const member = await staffMember(auth, req, res, ['supervisor']);
        if (!member) return;
        const body = NewAccountBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        const created = await directory.create(body.data);
        if (created === 'taken') return sendError(res, 409, 'conflict', `the name ${body.data.name} is taken`);
        deps.logger.info({ staff: created.name, by: member.account.name }, 'staff account created by supervisor');
        res.status(201);
        res.json(created);
    });

    server.patch('/api/accounts/:name', staffBody, async (req: Request, res: Response) => {
        const member = await staffMember(auth, req, res, ['supervisor']);
        if (!member) return;
        const name = String(req.params.name);
        const body = AccountChangeBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        const updated = await directory.update(name, body.data);
        if (updated === 'not_found') return sendError(res, 404, 'not_found', `no account ${name}`);
        if (updated === 'configured') return sendError(res, 409, 'conflict', `${name} is an AGENT_TOKENS entry; change it in the environment`);
        res.json(updated);
    });

    /** An agent as the roster shows them, with what they hold now (active handoffs and the one on offer). */
    const withLoad = async (agents: AgentPresence[]) => {
        const [active, queued] = await Promise.all([deps.handoffs.all('active'), deps.handoffs.all('queued')]);
        const load = new Map<string, number>();
        for (const h of active) if (h.agent) load.set(h.agent, (load.get(h.agent) ?? 0) + 1);
        for (const h of queued) if (h.offeredTo) load.set(h.offeredTo, (load.get(h.offeredTo) ?? 0) + 1);
        return agents.map(({ account, status, lastSeenAt }) => ({
            name: account.name,
            displayName: account.displayName,
            roles: account.roles,
            status,
            lastSeenAt,
            capacity: account.capacity,
            trainee: account.trainee,
            load: load.get(account.name) ?? 0,
        }));
    };
    const ORDER = { online: 0, away: 1, offline: 2 } as const;

    server.get('/api/agents', async (req: Request, res: Response) => {
        if (!(await staffMember(auth, req, res, ['agent', 'supervisor']))) return;
        const roster = (await directory.roster()).sort((a, b) => ORDER[a.status] - ORDER[b.status] || (a.account.name < b.account.name ? -1 : 1));
        res.json({ agents: await withLoad(roster) });
    });

    server.put('/api/agents/me/presence', staffBody, async (req: Request, res: Response) => {
        const member = await staffMember(auth, req, res, ['agent']);
        if (!member) return;
        const body = PresenceBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        const presence = await directory.choose(member.account, body.data.status);
        if (presence.status === 'online') deps.onAvailable?.();
        res.json((await withLoad([presence]))[0]);
    });
}

