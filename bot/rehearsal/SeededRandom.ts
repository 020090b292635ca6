/**
 * A replayable choice: the n-th draw of a seed is always the same number (mulberry32 over seed and n), so a
 * rehearsal stores only its seed and how many draws it has made, and replays exactly.
 */
export class SeededRandom {
    static draw(seed: number, n: number): number {
        let t = (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(n + 1, 0x6d2b79f5)) | 0;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    static pick<T>(items: readonly T[], seed: number, n: number): T {
        const item = items[Math.floor(SeededRandom.draw(seed, n) * items.length)] ?? items[0];
        if (item === undefined) throw new Error('nothing to pick from');
        return item;
    }
}
