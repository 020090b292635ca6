import { setTimeout as sleep } from 'node:timers/promises';

/** Where the owners send their messages; the server's address changes when it is restarted on a new port. */
export interface ChaosTarget {
    url: string;
}

/** One ticket number an owner was told, and in which conversation and step. */
export interface Announcement {
    ticketId: string;
    conversationId: string;
    step: number;
}

export interface OwnerTally {
    turns: number;
    /** Requests that got no answer at all (server down) or a non-200. */
    unanswered: number;
    /** Answers asking the owner to try again (store down, busy, turn failed). */
    refused: number;
    /** Conversations that reached a ticket number, and those given up within their step budget. */
    completed: number;
    abandoned: number;
}

const THINK_MS = 400;
const TICKET_ID = /TS-\d{8}-\d{4}/g;
/** What the bot asks for next, read from its reply (the complaint and repair flows of scripts/). */
const ASKS_CONFIRMATION = /对吗|是吗|对不对|确认/;
const ASKS_PLACE = /位置|几号楼|哪里|哪个|地点|在哪/;
const ASKS_PHONE = /电话|手机|联系方式|号码/;

const PROBLEMS: [string, string][] = [
    ['电梯又坏了，一直没人修', '3号楼1单元'],
    ['楼道的灯坏了好几天没人修', '4号楼2单元'],
    ['健身器材坏了一直没人修', '中心花园'],
    ['垃圾房的门坏了好几周了', '7号楼旁边'],
    ['门口保安态度太差了，问他话爱答不理', '东门岗亭'],
    ['地下车库漏水好几天了', '地下车库B区'],
];

/**
 * An owner who files complaints and repairs one conversation after another and answers what the bot asks, re-sending
 * a message that got no proper answer (as people do when the chat says "try again"). Every ticket number it is told
 * is recorded.
 */
export class ChaosOwner {
    readonly tally: OwnerTally = { turns: 0, unanswered: 0, refused: 0, completed: 0, abandoned: 0 };
    private conversations = 0;

    constructor(
        private readonly id: string,
        private readonly target: ChaosTarget,
        private readonly announced: Announcement[],
        /** Linli's "please try again" sentences (scripts/phrases.json), to tell a refusal from an answer. */
        private readonly retryLines: string[],
        private readonly maxSteps = 12,
    ) {}

    private askedToRetry(reply: string): boolean {
        return this.retryLines.some((line) => reply.includes(line));
    }

    /** Files one conversation after another until `until` (epoch ms); the conversation in hand is finished first. */
    async run(until: number, finishBy: number): Promise<void> {
        while (Date.now() < until) await this.fileOne(finishBy);
    }

    private async fileOne(finishBy: number): Promise<void> {
        this.conversations += 1;
        const conversationId = `chaos-${this.id}-${this.conversations}`;
        const [problem, place] = PROBLEMS[(this.conversations + this.id.length) % PROBLEMS.length] ?? PROBLEMS[0]!;
        let message = problem;
        let resentAfterTicket = false;
        for (let step = 0; step < this.maxSteps && Date.now() < finishBy; step++) {
            const reply = await this.say(conversationId, message, step);
            if (reply === null) {
                await sleep(250);
                continue; // the same message again
            }
            if (this.askedToRetry(reply)) this.tally.refused += 1;
            const ids = reply.match(TICKET_ID);
            if (ids) {
                for (const ticketId of new Set(ids)) this.announced.push({ ticketId, conversationId, step });
                // Told a number and, in the same breath, to try again: an owner tries again, once.
                if (!resentAfterTicket && this.askedToRetry(reply)) {
                    resentAfterTicket = true;
                    continue;
                }
                this.tally.completed += 1;
                return;
            }
            if (ASKS_PHONE.test(reply)) message = '13812345678';
            else if (ASKS_PLACE.test(reply)) message = place;
            else if (ASKS_CONFIRMATION.test(reply)) message = '对';
            // Anything else (a polite "try again", a question we did not expect): say the same thing again.
            // A person takes a moment to read and type; it also keeps a run's tickets within one list page.
            await sleep(THINK_MS + Math.random() * THINK_MS);
        }
        this.tally.abandoned += 1;
    }

    /** The bot's reply text, or null when there was none (server down, non-200). */
    private async say(conversationId: string, text: string, step: number): Promise<string | null> {
        this.tally.turns += 1;
        try {
            const res = await fetch(`${this.target.url}/api/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                    type: 'message',
                    id: `${conversationId}-${step}`,
                    channelId: 'emulator',
                    serviceUrl: 'http://127.0.0.1:1',
                    deliveryMode: 'expectReplies',
                    conversation: { id: conversationId },
                    from: { id: `owner-${this.id}`, role: 'user' },
                    recipient: { id: 'linli', role: 'bot' },
                    text,
                }),
                signal: AbortSignal.timeout(20_000),
            });
            const json = (await res.json().catch(() => ({}))) as { activities?: { type?: string; text?: string }[] };
            if (res.status !== 200) {
                this.tally.unanswered += 1;
                return null;
            }
            return (json.activities ?? []).filter((a) => a.type === 'message').map((a) => a.text ?? '').join('\n');
        } catch {
            this.tally.unanswered += 1;
            return null;
        }
    }
}
