import { z } from 'zod';
/**
 * The one length rule for an owner's contact details, wherever they come from: the channel's profile
 * (channelData.owner), a flow's answers, a ticket. A name up to 64 characters (long minority and foreign names fit);
 * a phone number or an address part up to 32 — longer is not a phone number or a room but something pasted.
 * The ticket schema's `contact` is this schema, so what the bot keeps about an owner can always go on a ticket.
 */
export const OwnerContact = z.object({
    name: z.string().max(64).optional(),
    phone: z.string().max(32).optional(),
    building: z.string().max(32).optional(),
    unit: z.string().max(32).optional(),
    room: z.string().max(32).optional(),
});
export const CONTACT_FIELDS = OwnerContact.keyof().options;
/**
 * Keeps the contact fields of `input` that pass OwnerContact (trimmed), and names the ones that do not. Absent, empty
 * and blank fields are simply absent. Anything else in `input` is ignored.
 */
export function fitContact(input) {
    const fields = input;
    const contact = {};
    const dropped = [];
    for (const field of CONTACT_FIELDS) {
        const raw = fields[field];
        if (raw === undefined || raw === null)
            continue;
        const value = typeof raw === 'string' ? raw.trim() : raw;
        if (value === '')
            continue;
        const parsed = OwnerContact.shape[field].safeParse(value);
        if (parsed.success && parsed.data !== undefined)
            contact[field] = parsed.data;
        else
            dropped.push(field);
    }
    return { contact, dropped };
}
