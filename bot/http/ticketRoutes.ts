import type { Request, Response, Server } from 'restify';
import { JsonBodyReader, STAFF_BODY_BYTES } from './JsonBodyReader';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { ComplaintReporter } from '../tickets/ComplaintReporter';
import { TicketCategories, TicketConflictError, TicketKinds, TicketPosition, TicketStatuses, type Ticket } from '../tickets/Ticket';
import { decodeCursor, encodeCursor } from '../paging/PageCursor';
import { BAD_CURSOR, PageQuery } from './pageQuery';
import { IllegalTransitionError, TicketPatch, type TicketService } from '../tickets/TicketService';
import type { StaffAuth } from './StaffAuth';
import { describeIssues, sendError, staffName } from './apiErrors';
import { OwnerContact } from '../tickets/OwnerContact';
import type { StaffRole } from '../staff/StaffAccount';
import type { PaymentReminders } from '../proactive/PaymentReminders';
import { OutsideWindowError } from '../channels/OutsideWindowError';
import { OwnerChannelError } from '../proactive/OwnerChannelError';

export interface TicketRouteDeps {
    tickets: TicketService;
    reports: ComplaintReporter;
    auth: StaffAuth;
    logger: Logger;
    /** Absent where no channel adapter can reach owners again (then the route answers 503). */
    reminders?: PaymentReminders;
    /** The conversation an agent opens a ticket for (its channel and owner), or null when none was handed to agents. */
    conversation?: (conversationId: string) => Promise<{ channelId: string; ownerId: string } | null>;
    /** Told of every ticket staff open, with who opened it (linked to the handoff, recorded in the transcript). */
    onCreated?: (ticket: Ticket, staff: string) => Promise<void>;
    /** Told of every staff change to a ticket, with who made it (the conversation's transcript records it). */
    onUpdated?: (ticket: Ticket, patch: TicketPatch, staff: string) => Promise<void>;
}

const ReminderBody = z
    .object({
        channelId: z.string().min(1),
        conversationId: z.string().min(1),
        dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dueDate must be YYYY-MM-DD'),
        /** When to send it (ISO 8601 with an offset); without it the reminder goes out now. */
        remindAt: z.iso.datetime({ offset: true }).optional(),
    })
    .strict();

/** What an agent writes down for the owner (the contract's POST /api/tickets). */
const NewTicketBody = z
    .object({
        kind: TicketKinds,
        category: TicketCategories,
        conversationId: z.string().min(1).max(1000),
        description: z.string().trim().min(1).max(2000),
        location: z.string().trim().max(200).nullish(),
        contact: OwnerContact.strict().optional(),
        request: z.string().trim().max(1000).nullish(),
    })
    .strict();
/** An Idempotency-Key header: the same key for the same conversation gives the same ticket (a double click, a retry). */
const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,100}$/);

/** Tickets are the desk's work (agents) and the supervisors' to oversee; the monthly report is the supervisors'. */
const DESK: readonly StaffRole[] = ['agent', 'supervisor'];

/** `ownerId`: one owner's tickets (the console's owner history). */
const ListQuery = PageQuery.extend({ status: TicketStatuses.optional(), category: TicketCategories.optional(), kind: TicketKinds.optional(), ownerId: z.string().min(1).max(1000).optional() });
const MonthQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM') });


/** The staff ticket API of the contract: list, read, move along the lifecycle, monthly report. Bearer token required. */
/** Every staff body is JSON, capped after decompression (the token is checked before, by StaffGate). */
const staffBody = new JsonBodyReader(STAFF_BODY_BYTES).handler;

export function registerTicketRoutes(server: Server, deps: TicketRouteDeps): void {
    const staff = (req: Request, res: Response, roles: readonly StaffRole[] = DESK) => staffName(deps.auth, req, res, roles);

    server.get('/api/tickets', async (req: Request, res: Response) => {
        if (!(await staff(req, res))) return;
        const query = ListQuery.safeParse(req.query ?? {});
        if (!query.success) return sendError(res, 400, 'invalid_query', describeIssues(query.error));
        const { limit, cursor, ...filter } = query.data;
        const after = cursor === undefined ? null : decodeCursor(TicketPosition, cursor);
        if (after === null && cursor !== undefined) return sendError(res, 400, 'invalid_query', BAD_CURSOR);
        const page = await deps.tickets.page(filter, limit, after);
        res.json({ tickets: page.tickets, total: page.total, nextCursor: page.next && encodeCursor(page.next) });
    });

    server.post('/api/tickets', staffBody, async (req: Request, res: Response) => {
        const name = await staff(req, res);
        if (!name) return;
        const body = NewTicketBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        const header = req.headers['idempotency-key'];
        const key = header === undefined ? null : IdempotencyKey.safeParse(header);
        if (key && !key.success) return sendError(res, 400, 'invalid_header', 'Idempotency-Key: 1–100 visible ASCII characters');
        const { conversationId, location, request, contact, ...rest } = body.data;
        const conversation = deps.conversation ? await deps.conversation(conversationId) : null;
        if (!conversation) return sendError(res, 404, 'not_found', `no conversation ${conversationId} was handed to agents`);
        const ticket = await deps.tickets.create(
            {
                ...rest,
                conversationId,
                channelId: conversation.channelId,
                ownerId: conversation.ownerId,
                medium: 'chat',
                contact: contact ?? {},
                location: location || null,
                request: request || null,
                subject: null,
                department: null,
                receivedBy: name,
                urgent: rest.kind === 'emergency',
            },
            key?.success ? { idempotencyKey: `staff:${conversationId}:${key.data}` } : {},
        );
        await deps.onCreated?.(ticket, name).catch((error: unknown) => deps.logger.warn({ err: error, ticketId: ticket.id }, 'new ticket not recorded in the transcript'));
        res.status(201);
        res.json(ticket);
    });

    server.get('/api/tickets/:id', async (req: Request, res: Response) => {
        if (!(await staff(req, res))) return;
        const ticket = await deps.tickets.get(String(req.params.id));
        if (!ticket) return sendError(res, 404, 'not_found', `no ticket ${String(req.params.id)}`);
        res.json(ticket);
    });

    server.patch(
        '/api/tickets/:id',
        staffBody,
        async (req: Request, res: Response) => {
            const name = await staff(req, res);
            if (!name) return;
            const patch = TicketPatch.safeParse(req.body);
            if (!patch.success) return sendError(res, 400, 'invalid_patch', describeIssues(patch.error));
            try {
                const ticket = await deps.tickets.update(String(req.params.id), patch.data, name);
                if (!ticket) return sendError(res, 404, 'not_found', `no ticket ${String(req.params.id)}`);
                await deps.onUpdated?.(ticket, patch.data, name).catch((error: unknown) => deps.logger.warn({ err: error, ticketId: ticket.id }, 'ticket change not recorded in the transcript'));
                res.json(ticket);
            } catch (error) {
                if (error instanceof IllegalTransitionError || error instanceof TicketConflictError) return sendError(res, 409, 'conflict', error.message);
                throw error;
            }
        },
    );

    server.post('/api/reminders/payment', staffBody, async (req: Request, res: Response) => {
        const staffName = await staff(req, res);
        if (!staffName) return;
        const body = ReminderBody.safeParse(req.body);
        if (!body.success) return sendError(res, 400, 'invalid_body', describeIssues(body.error));
        if (!deps.reminders) return sendError(res, 503, 'unavailable', 'no channel adapter to reach owners');
        const { remindAt, ...request } = body.data;
        if (remindAt) {
            const scheduled = await deps.reminders.schedule(request, new Date(remindAt), staffName).catch((error: unknown) => {
                if (error instanceof OwnerChannelError) return error.cause instanceof OutsideWindowError ? error.cause : ('unreachable' as const);
                throw error;
            });
            if (scheduled instanceof OutsideWindowError) return sendError(res, 409, 'outside_window', scheduled.message);
            if (scheduled === 'unreachable') return sendError(res, 502, 'owner_unreachable', "the owner's channel can not be reached; nothing was scheduled");
            if (!scheduled) return sendError(res, 404, 'not_found', 'no conversation on record for that owner');
            res.status(202);
            res.json({ scheduled });
            return;
        }
        const sent = await deps.reminders.send(request.channelId, request.conversationId, request.dueDate).catch((error: unknown) => {
            if (error instanceof OwnerChannelError) return error.cause instanceof OutsideWindowError ? error.cause : ('unreachable' as const);
            throw error;
        });
        if (sent instanceof OutsideWindowError) return sendError(res, 409, 'outside_window', sent.message);
        if (sent === 'unreachable') return sendError(res, 502, 'owner_unreachable', "the owner's channel could not be reached; nothing was sent");
        if (!sent) return sendError(res, 404, 'not_found', 'no conversation on record for that owner');
        res.status(202);
        res.json({ sent: true });
    });

    server.get('/api/reports/complaints', async (req: Request, res: Response) => {
        if (!(await staff(req, res, ['supervisor']))) return;
        const query = MonthQuery.safeParse(req.query ?? {});
        if (!query.success) return sendError(res, 400, 'invalid_query', describeIssues(query.error));
        res.json(await deps.reports.month(query.data.month));
    });
}
