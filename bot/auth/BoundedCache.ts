/** A map that forgets its oldest entry when full, and forgets a failed creation so the next call tries again. */
export class BoundedCache<T extends Promise<unknown>> {
    private readonly entries = new Map<string, T>();

    constructor(private readonly limit: number) {}

    get(key: string, create: () => T): T {
        const found = this.entries.get(key);
        if (found) return found;
        const created = create();
        created.catch(() => this.entries.delete(key));
        if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
        this.entries.set(key, created);
        return created;
    }
}
