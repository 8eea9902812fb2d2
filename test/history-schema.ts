import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { HISTORY_SCHEMA_VERSION } from '../harness/core/history-schema.ts';

/** The published schema of one history.jsonl line (docs/history.md says how to read it). */
export const HISTORY_SCHEMA_FILE = resolve(import.meta.dirname, '..', 'docs', 'history.schema.json');

/** The schema as the types give it today, as the file's text. */
export function historySchemaText(): string {
  const schema = createGenerator({
    path: resolve(import.meta.dirname, '..', 'harness', 'core', 'history-line.ts'),
    tsconfig: resolve(import.meta.dirname, '..', 'tsconfig.json'),
    type: 'HistoryLine',
    expose: 'export',
    skipTypeCheck: true,
    topRef: true,
  }).createSchema('HistoryLine');
  const published = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://github.com/skew/next-skew/docs/history.schema.json#v${HISTORY_SCHEMA_VERSION}`,
    title: `skew history.jsonl line, schema version ${HISTORY_SCHEMA_VERSION}`,
    description:
      "One line of a run's history.jsonl: an event with its time. A run's judge.json names the schema version it was written with (historySchema).",
    'x-schema-version': HISTORY_SCHEMA_VERSION,
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
  return `${JSON.stringify(published, null, 2)}\n`;
}

/** Checks history lines against the published schema: each invalid line with why. */
export function historyValidator(): (lines: readonly unknown[]) => string[] {
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(HISTORY_SCHEMA_FILE, 'utf8')) as object);
  return (lines) =>
    lines.flatMap((line, i) =>
      validate(line) ? [] : [`line ${i + 1} (${(line as { type?: string }).type}): ${ajv.errorsText(validate.errors)}`],
    );
}
