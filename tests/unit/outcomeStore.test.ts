import { describe } from 'vitest';
import { SqliteOutcomeStore } from '../../adapters/outcomes/SqliteOutcomeStore';
import { outcomeStoreConformance } from '../helpers/outcomeStoreConformance';

describe('SqliteOutcomeStore conformance', () => outcomeStoreConformance(() => new SqliteOutcomeStore(':memory:')));
