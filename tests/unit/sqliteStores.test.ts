import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteReminderStore } from '../../adapters/reminders/SqliteReminderStore';
import { reminderStoreConformance } from '../helpers/reminderStoreConformance';
import { SqliteHandoffStore } from '../../adapters/handoffs/SqliteHandoffStore';
import { SqliteTranscriptStore } from '../../adapters/transcripts/SqliteTranscriptStore';
import { handoffStoreConformance, transcriptStoreConformance } from '../helpers/handoffStoreConformance';
import { SqliteStaffStore } from '../../adapters/staff/SqliteStaffStore';
import { staffStoreConformance } from '../helpers/staffStoreConformance';

describe('SqliteHandoffStore conformance', () => handoffStoreConformance(() => new SqliteHandoffStore(':memory:')));
describe('SqliteTranscriptStore conformance', () => transcriptStoreConformance(() => new SqliteTranscriptStore(':memory:')));

describe('SqliteStaffStore conformance', () => staffStoreConformance(() => new SqliteStaffStore(':memory:')));

describe('SqliteReminderStore conformance', () => reminderStoreConformance(() => new SqliteReminderStore(':memory:')));

describe('SqliteHandoffStore on a file written before the queue was paged', () => {
    it('adds the priority and tier columns from the documents, so the urgent ones still come first', async () => {
        const file = join(mkdtempSync(join(tmpdir(), 'linli-handoffs-')), 'handoffs.sqlite');
        const old = new Database(file);
        old.exec('CREATE TABLE handoffs (conversation_id TEXT PRIMARY KEY, doc TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL, since INTEGER NOT NULL)');
        const doc = (id: string, priority: number, since: string) => ({
            conversationId: id, channelId: 'webchat', ownerId: `o-${id}`, status: 'queued', reason: 'requested', rule: null, priority, ticketId: null,
            persona: 'default', emotion: 'calm', summary: '', since, acceptedAt: null, closedAt: null, agent: null, outcome: null, reference: {}, version: 1,
        });
        for (const [id, priority, since] of [['old-ordinary', 4, '2026-11-24T01:00:00.000Z'], ['old-urgent', 1, '2026-11-24T02:00:00.000Z']] as const) {
            old.prepare('INSERT INTO handoffs VALUES (?, ?, 1, ?, ?)').run(id, JSON.stringify(doc(id, priority, since)), 'queued', Date.parse(since));
        }
        old.close();
        const store = new SqliteHandoffStore(file);
        expect((await store.page('queued', 10, null)).map((h) => h.conversationId)).toEqual(['old-urgent', 'old-ordinary']);
        expect(await store.countsByPriority('queued')).toMatchObject({ 1: 1, 4: 1 });
        store.close();
    });
});
