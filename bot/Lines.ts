import { z } from 'zod';
import type { Persona } from './nlu/NluResult';

const Variants = z.array(z.string().min(1)).min(1);

/**
 * What Linli says at one point, per persona: several variants so it does not repeat itself; `default` is required and
 * the elderly and young wordings fall back to it. The one shape for phrases.json and the flow scripts.
 */
export const Lines = z.object({ default: Variants, elderly: Variants.optional(), young: Variants.optional() });
export type Lines = z.infer<typeof Lines>;

export type LineValues = Record<string, string | number>;

/** One variant in the owner's register, with {placeholders} filled from the first of `values` that has them. */
export function sayLine(lines: Lines, persona: Persona, random: () => number, ...values: LineValues[]): string {
    const variants = (persona !== 'default' ? lines[persona] : undefined) ?? lines.default;
    return fillLine(variants[Math.floor(random() * variants.length)] ?? variants[0] ?? '', ...values);
}

export function fillLine(line: string, ...values: LineValues[]): string {
    return line.replace(/\{(\w+)\}/g, (m, name: string) => {
        const found = values.find((v) => name in v)?.[name];
        return found === undefined ? m : String(found);
    });
}
