import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { PROJECT_ROOT } from '../paths';
import type { StaffAuth } from './StaffAuth';
import { sendError, staffMember, staffName } from './apiErrors';
import { alertToneWav } from '../desk/AlertTone';
import type { DeskWords } from '../desk/DeskLabels';
import type { HandoffService } from '../handoff/HandoffService';
import type { SuggestedReplies } from '../handoff/SuggestedReplies';

const ASSETS: Record<string, { file: string; type: string }> = {
    '/agent': { file: join(PROJECT_ROOT, 'adapters', 'web', 'agent', 'index.html'), type: 'text/html; charset=utf-8' },
    '/agent/console.css': { file: join(PROJECT_ROOT, 'adapters', 'web', 'agent', 'console.css'), type: 'text/css; charset=utf-8' },
    '/agent/console.js': { file: join(PROJECT_ROOT, 'dist', 'web', 'agent', 'console.js'), type: 'text/javascript; charset=utf-8' },
};

/** The page may talk to this server only, and run only its own script. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; media-src 'self'; frame-ancestors 'none'";

/** The desk's own routes serve those who work the queue. */
const DESK_ROLES = ['agent', 'supervisor'] as const;

export interface AgentConsoleDeps {
    auth: StaffAuth;
    handoffs: HandoffService;
    suggestions: SuggestedReplies;
    /** The console's words for the server's codes, and the estate's clock (times are shown in its time zone). */
    desk: { labels: DeskWords; utcOffsetMinutes: number };
}

/**
 * The agent console (`GET /agent`): a static page, its script and its alert tone, served by Linli itself; the page
 * signs in and uses the agent API. `GET /api/staff/me` tells it whose token it holds, `GET /api/desk` the labels and
 * time zone, `GET /api/desk/replies?conversationId=` the reply library filled for one conversation.
 */
export function registerAgentConsoleRoutes(server: Server, deps: AgentConsoleDeps): void {
    // Read once: the files are part of the build; a missing one is a broken build and should say so at start-up.
    const cached: Record<string, { type: string; body: Buffer }> = Object.fromEntries(Object.entries(ASSETS).map(([path, asset]) => [path, { type: asset.type, body: readFileSync(asset.file) }]));
    cached['/agent/alert.wav'] = { type: 'audio/wav', body: alertToneWav() };
    for (const [path, asset] of Object.entries(cached)) {
        server.get(path, async (_req: Request, res: Response) => {
            res.writeHead(200, { 'content-type': asset.type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
            res.end(asset.body);
        });
    }
    server.get('/api/staff/me', async (req: Request, res: Response) => {
        const member = await staffMember(deps.auth, req, res);
        if (!member) return;
        const presence = await deps.auth.directory.presenceOf(member.account);
        res.json({ ...member.account, expiresAt: member.expiresAt, presence: presence.status });
    });
    server.get('/api/desk', async (req: Request, res: Response) => {
        if (!(await staffName(deps.auth, req, res, DESK_ROLES))) return;
        res.json({ labels: deps.desk.labels, utcOffsetMinutes: deps.desk.utcOffsetMinutes });
    });
    server.get('/api/desk/replies', async (req: Request, res: Response) => {
        const reader = await staffMember(deps.auth, req, res, DESK_ROLES);
        if (!reader) return;
        const conversationId = (req.query as Record<string, unknown> | undefined)?.conversationId;
        if (typeof conversationId !== 'string' || conversationId === '') return sendError(res, 400, 'invalid_query', 'conversationId is required');
        const handoff = await deps.handoffs.get(conversationId);
        if (!handoff) return sendError(res, 404, 'not_found', `no handoff for conversation ${conversationId}`);
        const entries = await deps.handoffs.transcript(conversationId);
        res.json({ replies: deps.suggestions.libraryFor(handoff, entries, reader.account.displayName) });
    });
}
