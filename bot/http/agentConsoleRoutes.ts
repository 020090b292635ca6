import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { PROJECT_ROOT } from '../paths';
import type { StaffAuth } from './StaffAuth';
import { staffMember } from './apiErrors';

const ASSETS: Record<string, { file: string; type: string }> = {
    '/agent': { file: join(PROJECT_ROOT, 'adapters', 'web', 'agent', 'index.html'), type: 'text/html; charset=utf-8' },
    '/agent/console.css': { file: join(PROJECT_ROOT, 'adapters', 'web', 'agent', 'console.css'), type: 'text/css; charset=utf-8' },
    '/agent/console.js': { file: join(PROJECT_ROOT, 'dist', 'web', 'agent', 'console.js'), type: 'text/javascript; charset=utf-8' },
};

/** The page may talk to this server only, and run only its own script. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * The agent console (`GET /agent`): a static page and its script, served by Linli itself; the page signs in with a
 * staff token and uses the agent API. `GET /api/staff/me` tells it whose token it holds
 * (account, roles, when the session ends, presence).
 */
export function registerAgentConsoleRoutes(server: Server, auth: StaffAuth): void {
    // Read once: the files are part of the build; a missing one is a broken build and should say so at start-up.
    const cached = Object.fromEntries(Object.entries(ASSETS).map(([path, asset]) => [path, { ...asset, body: readFileSync(asset.file) }]));
    for (const [path, asset] of Object.entries(cached)) {
        server.get(path, async (_req: Request, res: Response) => {
            res.writeHead(200, { 'content-type': asset.type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
            res.end(asset.body);
        });
    }
    server.get('/api/staff/me', async (req: Request, res: Response) => {
        const member = await staffMember(auth, req, res);
        if (!member) return;
        const presence = await auth.directory.presenceOf(member.account);
        res.json({ ...member.account, expiresAt: member.expiresAt, presence: presence.status });
    });
}
