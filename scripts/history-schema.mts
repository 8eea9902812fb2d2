// Writes docs/history.schema.json: the JSON Schema of one line of a run's history.jsonl, made
// from the TypeScript types (harness/core/history-line.ts) by ts-json-schema-generator.
//   usage: node scripts/history-schema.mts [--check]   (--check: exit 1 when the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { historySchemaText, HISTORY_SCHEMA_FILE } from '../test/history-schema.ts';

const text = historySchemaText();
if (process.argv.includes('--check')) {
  const stale = readFileSync(HISTORY_SCHEMA_FILE, 'utf8') !== text;
  if (stale) console.error(`${HISTORY_SCHEMA_FILE} is stale: run node scripts/history-schema.mts`);
  process.exit(stale ? 1 : 0);
}
writeFileSync(HISTORY_SCHEMA_FILE, text);
console.log(`wrote ${HISTORY_SCHEMA_FILE}`);
