import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { History } from '../harness/core/history.ts';
import { HISTORY_SCHEMA_FILE, historySchemaText, historyValidator } from './history-schema.ts';

describe('the published history schema (docs/history.schema.json)', () => {
  it('is what the types give today', () => {
    expect(readFileSync(HISTORY_SCHEMA_FILE, 'utf8'), 'stale: run node scripts/history-schema.mts').toBe(historySchemaText());
  }, 60_000);

  it('accepts lines a History writes, and refuses an unknown event or a missing field', () => {
    const h = new History();
    h.append({ type: 'step', index: 0, kind: 'deploy', label: 'deploy A', phase: 'start' });
    h.append({ type: 'purge', by: 'releases-symlink', via: 'api', evicted: [], status: 200, request: { files: ['http://127.0.0.1:1/'] } });
    h.append({ type: 'stack', current: 'a-1', live: ['a-1'], kept: ['a-1'] });
    const validate = historyValidator();
    const lines = JSON.parse(JSON.stringify(h.events)) as unknown[];
    expect(validate(lines)).toEqual([]);
    expect(validate([{ t: 1, type: 'teleport', to: 'B' }])).toHaveLength(1);
    expect(validate([{ t: 1, type: 'stack', live: [] }])).toHaveLength(1);
    expect(validate([{ type: 'stack', live: [], kept: [] }]), 'every line has its time').toHaveLength(1);
  });
});
