import { readFileSync } from 'node:fs';
import { z } from 'zod';

export class DataFileError extends Error {
    constructor(file: string, error: z.ZodError | Error) {
        const detail =
            error instanceof z.ZodError
                ? error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
                : error.message;
        super(`${file}: ${detail}`);
        this.name = 'DataFileError';
    }
}

/** Reads a JSON data file and validates it; a broken file stops start-up naming the file and the field. */
export function loadDataFile<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
    let raw: unknown;
    try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
        throw new DataFileError(file, error as Error);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new DataFileError(file, parsed.error);
    return parsed.data;
}
