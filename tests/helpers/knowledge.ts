import { join } from 'node:path';
import { PROJECT_ROOT } from '../../bot/paths';
import { Tokenizer } from '../../bot/nlu/Tokenizer';

export const KNOWLEDGE_DIR = join(PROJECT_ROOT, 'knowledge');

let shared: Tokenizer | undefined;
/** jieba's dictionary takes a quarter of a second to load: tests share one tokenizer. */
export function tokenizer(): Tokenizer {
    shared ??= new Tokenizer(join(KNOWLEDGE_DIR, 'nlu', 'domain-dict.txt'));
    return shared;
}
