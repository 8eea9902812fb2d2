import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNS_DIR } from './support.ts';

/** Marks when this e2e session began: the teardown judges again every run written after it. */
export const SESSION_MARK = join(RUNS_DIR, '.session-start');

export default function globalSetup(): void {
  mkdirSync(RUNS_DIR, { recursive: true });
  writeFileSync(SESSION_MARK, `${Date.now()}\n`);
}
