import type { Address } from '../nlu/EntityExtractor';
import { fillLine } from '../Lines';
import type { OwnerContact } from './OwnerContact';
import type { NewTicket } from './TicketService';
import type { TicketWording } from './TicketWording';

/** Where a ticket comes from: the channel's addressing of the owner's conversation. */
export interface TicketOrigin {
    channelId: string;
    conversationId: string;
    ownerId: string;
}

/** What a flow collected, as the flow's script and its slots left it. */
export interface FlowAccount {
    kind: NewTicket['kind'];
    category: NewTicket['category'];
    department: string;
    /** The script's standing request ("申请分期补交物业费"), if any. */
    request?: string;
    description: string;
    situation?: string;
    preferredTime?: string;
    location?: string;
    contact: OwnerContact;
    urgent: boolean;
    leak: boolean;
}

/** What an emergency knows when its ticket is opened. */
export interface EmergencyAccount {
    text: string;
    contact: OwnerContact;
    location: string | null;
}

/**
 * Writes tickets the way a receptionist would, from what the dialogs collected (the dialogs collect, this composes):
 * the description, the request with the preferred visit time, the place in words, the emergency's duty department.
 * Its wording is data (knowledge/tickets.json).
 */
export class TicketComposer {
    constructor(private readonly wording: TicketWording) {}

    get amend(): TicketWording['amend'] {
        return this.wording.amend;
    }

    fromFlow(origin: TicketOrigin, account: FlowAccount): NewTicket {
        const { compose } = this.wording;
        const request = [account.request, account.preferredTime && fillLine(compose.preferredTime, { preferredTime: account.preferredTime })]
            .filter(Boolean)
            .join(compose.requestJoiner);
        const description =
            account.situation && account.situation !== account.description
                ? fillLine(compose.situation, { description: account.description, situation: account.situation })
                : account.description;
        return {
            ...origin,
            kind: account.kind,
            category: account.category,
            medium: 'chat',
            contact: account.contact,
            location: account.location?.slice(0, 200) ?? null,
            description: description.slice(0, 2000),
            request: request || null,
            subject: null,
            department: account.department,
            urgent: account.urgent,
            leak: account.leak,
        };
    }

    forEmergency(origin: TicketOrigin, account: EmergencyAccount): NewTicket {
        const { emergency } = this.wording.compose;
        return {
            ...origin,
            kind: 'emergency',
            category: 'emergency',
            medium: 'chat',
            contact: account.contact,
            location: account.location?.slice(0, 200) ?? null,
            description: account.text.slice(0, 2000) || emergency.description,
            request: null,
            subject: null,
            department: emergency.department,
            urgent: true,
        };
    }

    /** The place in words: 5号楼2单元1502. */
    describePlace(address: Address): string {
        const { place } = this.wording.compose;
        return (['building', 'unit', 'floor', 'room'] as const)
            .filter((part) => address[part] && !(part === 'floor' && address.room))
            .map((part) => fillLine(place[part], { [part]: address[part] ?? '' }))
            .join('');
    }

    /** Whether an answer corrects an earlier one ("不对，是9栋"). */
    corrects(text: string): boolean {
        return this.wording.amend.correctionWords.some((word) => text.includes(word));
    }

    /** The text of a correction without its wrong half ("是5号楼不是3号楼" → "是5号楼"), where the new value is read. */
    withoutWrongValue(text: string): string {
        // The wrong half runs to the end of its clause, or to the 是 that brings the right one ("不是3号楼是5号楼").
        return this.wording.amend.notWords.reduce((rest, word) => rest.replace(new RegExp(`${escape(word)}[^，,。；;！!？?是]*`, 'g'), ''), text);
    }
}

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
