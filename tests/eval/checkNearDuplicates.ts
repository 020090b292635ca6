import { readFileSync } from 'node:fs';
import { findNearDuplicates, NEAR_DUPLICATE_OVERLAP, readEvalLines } from './nearDuplicates';

/** `node dist/tests/eval/checkNearDuplicates.js FILE.tsv`: lists same-label pairs over the overlap rule; exit 1 if any. */
const file = process.argv[2];
if (!file) {
    console.error('usage: node dist/tests/eval/checkNearDuplicates.js FILE.tsv');
    process.exit(2);
}
const lines = readEvalLines(readFileSync(file, 'utf8'));
const pairs = findNearDuplicates(lines);
for (const pair of pairs) console.log(`${pair.a}\t${pair.b}\t${(100 * pair.overlap).toFixed(0)}%`);
console.log(`${lines.length} lines, ${pairs.length} near-duplicate pairs (same label, > ${100 * NEAR_DUPLICATE_OVERLAP}% trigram overlap)`);
process.exit(pairs.length === 0 ? 0 : 1);
