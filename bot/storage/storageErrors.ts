/** The same words botbuilder's MemoryStorage uses, so callers that match on them keep working. */
export function eTagConflict(key: string): Error {
    return new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

export function requireKeys(keys: unknown): string[] {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    return keys.map((k) => String(k));
}

export function requireChanges(changes: unknown): Record<string, Record<string, unknown>> {
    if (!changes || typeof changes !== 'object') throw new ReferenceError('Changes are required when writing.');
    return changes as Record<string, Record<string, unknown>>;
}

/**
 * Whether a write must match the stored eTag. No eTag or '*' is an unconditional write (botbuilder semantics);
 * botbuilder's own BotState writes with '*' and relies on the per-conversation turn lock instead.
 */
export function expectedETag(item: Record<string, unknown>): string | undefined {
    const eTag = item.eTag;
    return typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? eTag : undefined;
}

/** The item as stored: without its eTag (the store keeps that beside it). */
export function withoutETag(item: Record<string, unknown>): Record<string, unknown> {
    const { eTag: _omit, ...rest } = item;
    return rest;
}
