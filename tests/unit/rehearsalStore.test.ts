import { describe } from 'vitest';
import { SqliteRehearsalStore } from '../../adapters/rehearsals/SqliteRehearsalStore';
import { rehearsalStoreConformance } from '../helpers/rehearsalStoreConformance';

describe('SqliteRehearsalStore conformance', () => rehearsalStoreConformance(() => new SqliteRehearsalStore(':memory:')));
