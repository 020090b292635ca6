/** The backend did not answer (Redis down, disk error): the owner is told politely, the turn is logged. */
export class StorageUnavailableError extends Error {
    constructor(operation, cause) {
        super(`storage unavailable during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        this.name = 'StorageUnavailableError';
    }
}
/** Runs a backend call, turning any backend failure into StorageUnavailableError (conflicts are not backend failures). */
export async function guarded(operation, call) {
    try {
        return await call();
    }
    catch (error) {
        if (error instanceof ReferenceError || (error instanceof Error && error.message.includes('due to eTag conflict')))
            throw error;
        throw new StorageUnavailableError(operation, error);
    }
}
