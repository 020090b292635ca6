import type Database from 'better-sqlite3';

/** Prepares each SQL text once per database: preparing on every call was a visible share of a turn's CPU. */
export class StatementCache {
    private readonly statements = new Map<string, Database.Statement>();

    constructor(private readonly db: Database.Database) {}

    get(sql: string): Database.Statement {
        let statement = this.statements.get(sql);
        if (!statement) {
            statement = this.db.prepare(sql);
            this.statements.set(sql, statement);
        }
        return statement;
    }
}
