import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Logger } from '../logger';
import { EntityExtractor } from '../nlu/EntityExtractor';
import { Personas } from '../nlu/NluResult';
import { PROJECT_ROOT } from '../paths';
import type { Rehearsal } from '../rehearsal/Rehearsal';
import { RehearsalService } from '../rehearsal/RehearsalService';
import type { RehearsalStore } from '../rehearsal/RehearsalStore';
import { ScenarioBook } from '../rehearsal/ScenarioBook';
import { describeIssues, sendError, staffMember, staffName } from './apiErrors';
import { hasRole } from '../staff/StaffAccount';
import { JsonBodyReader, STAFF_BODY_BYTES } from './JsonBodyReader';
import type { StaffAuth } from './StaffAuth';

export interface RehearsalRouteDeps {
    store: RehearsalStore;
    auth: StaffAuth;
    logger: Logger;
    clock: () => Date;
}

/** What a trainee may type in one turn (the contract: 1–1,000 characters). */
const MAX_TURN_CHARS = 1000;

const StartBody = z
    .object({
        scenario: z.string().min(1),
        persona: Personas.optional(),
        // A seed replays a rehearsal; it must be a whole number (1.5 or "7" is a 400).
        seed: z.number().int().optional(),
    });

const TurnBody = z
    .object({
        text: z
            .string()
            .refine((t) => t.trim().length > 0, 'text must not be empty')
            .refine((t) => [...t].length <= MAX_TURN_CHARS, `text must be at most ${MAX_TURN_CHARS} characters`),
    });

const ListQuery = z.object({ trainee: z.string().min(1).optional() });

/** The trainer's page and the charting library it shares with the desk (Chart.js's UMD build), served by Linli itself. */
const ASSETS: Record<string, { file: string; type: string }> = {
    '/trainer': { file: join(PROJECT_ROOT, 'adapters', 'web', 'trainer', 'index.html'), type: 'text/html; charset=utf-8' },
    '/trainer/trainer.css': { file: join(PROJECT_ROOT, 'adapters', 'web', 'trainer', 'trainer.css'), type: 'text/css; charset=utf-8' },
    '/trainer/trainer.js': { file: join(PROJECT_ROOT, 'dist', 'web', 'trainer', 'trainer.js'), type: 'text/javascript; charset=utf-8' },
};
const CHART_JS_PATH = '/vendor/chart.umd.min.js';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

const staffBody = new JsonBodyReader(STAFF_BODY_BYTES).handler;

/**
 * The trainers' routes of the contract (`/api/rehearsals…`, behind the staff token like every staff route) and the
 * `/trainer` page. The scenarios are loaded here, at start-up: a broken file stops it, naming the file and field.
 */
export function registerRehearsalRoutes(server: Server, deps: RehearsalRouteDeps): RehearsalService {
    const service = new RehearsalService({
        book: ScenarioBook.load(join(PROJECT_ROOT, 'scripts')),
        store: deps.store,
        entities: new EntityExtractor(deps.clock),
        clock: deps.clock,
    });
    // Trainers run rehearsals with new staff, and agents rehearse on their own.
    const staff = (req: Request, res: Response) => staffName(deps.auth, req, res, ['trainer', 'agent']);
    const id = (req: Request) => String(req.params.id);

    const cached: { path: string; type: string; body: Buffer }[] = Object.entries(ASSETS).map(([path, asset]) => ({ path, type: asset.type, body: readFileSync(asset.file) }));
    const chart = chartLibrary(deps.logger);
    if (chart) cached.push({ path: CHART_JS_PATH, type: 'text/javascript; charset=utf-8', body: chart });
    else server.get(CHART_JS_PATH, async (_req: Request, res: Response) => sendError(res, 503, 'unavailable', 'chart.js is not installed: run npm install'));
    for (const asset of cached) {
        server.get(asset.path, async (_req: Request, res: Response) => {
            res.writeHead(200, { 'content-type': asset.type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
            res.end(asset.body);
        });
    }

    server.get('/api/rehearsals/scenarios', async (req: Request, res: Response) => {
        if (!(await staff(req, res))) return;
        res.json(service.scenarios());
    });

    server.post('/api/rehearsals', staffBody, async (req: Request, res: Response) => {
        const trainee = await staff(req, res);
        if (!trainee) return;
        const body = StartBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        const rehearsal = await service.start({ ...body.data, trainee });
        if (!rehearsal) return sendError(res, 404, 'not_found', `no scenario ${body.data.scenario}`);
        deps.logger.info({ rehearsal: rehearsal.id, scenario: rehearsal.scenario, trainee }, 'rehearsal started');
        const opening = rehearsal.transcript[0];
        res.status(201);
        res.json({ id: rehearsal.id, scenario: rehearsal.scenario, persona: rehearsal.persona, seed: rehearsal.seed, owner: { text: opening?.text ?? '', mood: opening?.mood ?? rehearsal.owner.mood } });
    });

    server.post('/api/rehearsals/:id/turns', staffBody, async (req: Request, res: Response) => {
        if (!(await staff(req, res))) return;
        const body = TurnBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        const outcome = await service.turn(id(req), body.data.text);
        if (outcome === 'not_found') return sendError(res, 404, 'not_found', `no rehearsal ${id(req)}`);
        if (outcome === 'finished') return sendError(res, 409, 'finished', 'this rehearsal is finished; start a new one');
        res.json(outcome);
    });

    server.post('/api/rehearsals/:id/finish', async (req: Request, res: Response) => {
        if (!(await staff(req, res))) return;
        const card = await service.finish(id(req));
        if (!card) return sendError(res, 404, 'not_found', `no rehearsal ${id(req)}`);
        res.json(card);
    });

    server.get('/api/rehearsals/:id', async (req: Request, res: Response) => {
        if (!(await staff(req, res))) return;
        const rehearsal = await service.get(id(req));
        if (!rehearsal) return sendError(res, 404, 'not_found', `no rehearsal ${id(req)}`);
        res.json(view(rehearsal));
    });

    server.get('/api/rehearsals', async (req: Request, res: Response) => {
        const member = await staffMember(deps.auth, req, res, ['trainer', 'agent']);
        if (!member) return;
        const query = ListQuery.safeParse(req.query ?? {});
        if (!query.success) return sendError(res, 400, 'invalid_query', describeIssues(query.error));
        // Trainers and supervisors see every trainee's rehearsals; an agent sees their own.
        const everyone = hasRole(member.account, ['trainer', 'supervisor']);
        res.json({ rehearsals: (await service.list(everyone ? query.data.trainee : member.account.name)).map(view) });
    });

    return service;
}

/**
 * Chart.js from node_modules, or null when the package is missing: the page then works without its charts (and the
 * log says why) instead of the whole server refusing to start over a drawing library.
 */
function chartLibrary(logger: Logger): Buffer | null {
    try {
        return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'));
    } catch (error) {
        logger.warn({ err: error }, 'chart.js is not installed: /trainer shows no charts');
        return null;
    }
}

/** A rehearsal as staff see it: the transcript and, once finished, the scorecard (not the owner's hidden memory). */
function view(r: Rehearsal) {
    return {
        id: r.id,
        scenario: r.scenario,
        persona: r.persona,
        seed: r.seed,
        trainee: r.trainee,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        ended: r.ended,
        mood: r.owner.mood,
        transcript: r.transcript.map((t) => ({ role: t.role, text: t.text, ...(t.mood ? { mood: t.mood } : {}), at: t.at })),
        scorecard: r.scorecard,
    };
}
