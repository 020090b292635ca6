/** What the desk knows of an owner (the contract's `channelData.owner`, as a queue entry carries it). */
export interface OwnerProfile {
    name?: string | null;
    building?: string | number | null;
    unit?: string | number | null;
    room?: string | number | null;
}

/** "3号楼2单元501室" from the parts known; a part already worded ("东区3栋") is kept as it is. */
export function describePlace(owner: OwnerProfile | null | undefined): string {
    if (!owner) return '';
    const part = (value: string | number | null | undefined, suffix: string) => {
        const text = value === null || value === undefined ? '' : String(value).trim();
        return /^\d+$/.test(text) ? `${text}${suffix}` : text;
    };
    return `${part(owner.building, '号楼')}${part(owner.unit, '单元')}${part(owner.room, '室')}`;
}
