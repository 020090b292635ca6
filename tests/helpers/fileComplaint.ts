import { say, texts } from './testServer';

/** Goes through the complaint flow over HTTP (complaint, "对", a place, a phone) and returns the ticket id it gave. */
export async function fileComplaint(
    url: string | [string, string],
    owner: Parameters<typeof say>[2],
    complaint: string,
    place: string,
): Promise<string> {
    const [a, b] = typeof url === 'string' ? [url, url] : url;
    await say(a, complaint, owner);
    await say(b, '对', owner);
    await say(a, place, owner);
    const done = await say(b, '13812345678', owner);
    const ticketId = /TS-\d{8}-\d{4}/.exec(texts(done).join(''))?.[0];
    if (!ticketId) throw new Error(`the complaint flow gave no ticket number: ${texts(done).join(' ')}`);
    return ticketId;
}
