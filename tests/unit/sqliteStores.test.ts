import { describe } from 'vitest';
import { SqliteReminderStore } from '../../adapters/reminders/SqliteReminderStore';
import { reminderStoreConformance } from '../helpers/reminderStoreConformance';
import { SqliteHandoffStore } from '../../adapters/handoffs/SqliteHandoffStore';
import { SqliteTranscriptStore } from '../../adapters/transcripts/SqliteTranscriptStore';
import { handoffStoreConformance, transcriptStoreConformance } from '../helpers/handoffStoreConformance';

describe('SqliteHandoffStore conformance', () => handoffStoreConformance(() => new SqliteHandoffStore(':memory:')));
describe('SqliteTranscriptStore conformance', () => transcriptStoreConformance(() => new SqliteTranscriptStore(':memory:')));

describe('SqliteReminderStore conformance', () => reminderStoreConformance(() => new SqliteReminderStore(':memory:')));
