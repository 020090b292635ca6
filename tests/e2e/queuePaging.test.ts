import { describe } from 'vitest';
import { queuePagingScenario } from '../helpers/queuePagingScenario';

describe('paged agents\' queue and ticket list, on the embedded store', () => queuePagingScenario());
