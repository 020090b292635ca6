/** What the desk knows of an owner (the contract's `channelData.owner`, as a queue entry carries it). */
export interface OwnerProfile {
    name?: string | null;
    building?: string | number | null;
    unit?: string | number | null;
    room?: string | number | null;
}

/** "3栋2单元501" from the parts known (the estate's way of writing a home); a part already worded ("东区3栋") stays as it is. */
export function describePlace(owner: OwnerProfile | null | undefined): string {
    if (!owner) return '';
    const part = (value: string | number | null | undefined, suffix: string) => {
        const text = value === null || value === undefined ? '' : String(value).trim();
        return /^\d+$/.test(text) ? `${text}${suffix}` : text;
    };
    return `${part(owner.building, '栋')}${part(owner.unit, '单元')}${part(owner.room, '')}`;
}
