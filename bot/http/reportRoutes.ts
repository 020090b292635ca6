import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { SupervisorView } from '../outcomes/SupervisorView';
import { PROJECT_ROOT } from '../paths';
import { ComplaintReportCsv } from '../tickets/ComplaintReportCsv';
import type { ComplaintReporter } from '../tickets/ComplaintReporter';
import { describeIssues, sendError, staffName } from './apiErrors';
import type { StaffAuth } from './StaffAuth';

export interface ReportRouteDeps {
    reports: ComplaintReporter;
    supervisor: SupervisorView;
    auth: StaffAuth;
}

const MonthQuery = z.object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM'),
    format: z.enum(['json', 'csv']).default('json'),
});

const WEB = join(PROJECT_ROOT, 'adapters', 'web');
const BUILT = join(PROJECT_ROOT, 'dist', 'web');
/** The report and supervisor pages; both draw with the Chart.js the trainer's page serves (/vendor/chart.umd.min.js). */
const ASSETS: Record<string, { file: string; type: string }> = {
    '/reports': { file: join(WEB, 'reports', 'index.html'), type: 'text/html; charset=utf-8' },
    '/reports/reports.js': { file: join(BUILT, 'reports', 'reports.js'), type: 'text/javascript; charset=utf-8' },
    // Sign-in, labels and element helpers, imported by both pages' modules.
    '/reports/staffPage.js': { file: join(BUILT, 'reports', 'staffPage.js'), type: 'text/javascript; charset=utf-8' },
    '/reports/staff.css': { file: join(WEB, 'reports', 'staff.css'), type: 'text/css; charset=utf-8' },
    '/supervisor': { file: join(WEB, 'reports', 'supervisor.html'), type: 'text/html; charset=utf-8' },
    '/supervisor/supervisor.js': { file: join(BUILT, 'reports', 'supervisor.js'), type: 'text/javascript; charset=utf-8' },
};
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * The monthly complaint report (`GET /api/reports/complaints?month=YYYY-MM`, as JSON or with `format=csv`, also at
 * `/api/reports/complaints.csv`), the supervisor's live view (`GET /api/supervisor`), and their pages `/reports` and
 * `/supervisor`. The API needs the staff token; the pages ask for it.
 */
export function registerReportRoutes(server: Server, deps: ReportRouteDeps): void {
    const csv = ComplaintReportCsv.fromFile(join(PROJECT_ROOT, 'knowledge', 'report-labels.json'));
    // The figures are the supervisors' (the contract: a role that may not use a route gets 403).
    const supervisor = (req: Request, res: Response) => staffName(deps.auth, req, res, ['supervisor']);

    const report = (forced?: 'csv') => async (req: Request, res: Response) => {
        if (!(await supervisor(req, res))) return;
        const query = MonthQuery.safeParse(req.query ?? {});
        if (!query.success) return sendError(res, 400, 'invalid_query', describeIssues(query.error));
        const figures = await deps.reports.month(query.data.month);
        if ((forced ?? query.data.format) === 'json') {
            res.json(figures);
            return;
        }
        res.writeHead(200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="complaints-${query.data.month}.csv"`,
            'cache-control': 'no-store',
        });
        res.end(csv.render(figures));
    };
    server.get('/api/reports/complaints', report());
    server.get('/api/reports/complaints.csv', report('csv'));

    server.get('/api/supervisor', async (req: Request, res: Response) => {
        if (!(await supervisor(req, res))) return;
        res.json(await deps.supervisor.snapshot());
    });

    // Read once: the files are part of the build; a missing one is a broken build and says so at start-up.
    for (const [path, asset] of Object.entries(ASSETS)) {
        const body = readFileSync(asset.file);
        server.get(path, async (_req: Request, res: Response) => {
            res.writeHead(200, { 'content-type': asset.type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
            res.end(body);
        });
    }
}
