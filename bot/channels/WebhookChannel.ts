import type { Request, Response } from 'restify';

/** A channel whose platform calls one URL (WeChat): GET to check the URL is ours, POST to deliver a message. */
export interface WebhookChannel {
    verify(req: Request, res: Response): Promise<void>;
    /** `req.body` is the raw body (a Buffer, already capped and inflated), or undefined when empty. */
    receive(req: Request, res: Response): Promise<void>;
}
