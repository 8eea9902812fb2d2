import { readFile } from 'node:fs/promises';
import { HarnessError } from '../errors/harness-error.ts';
import { aKind, pathKind } from '../io/path-kind.ts';
import { parseScenario, type Scenario } from './parse.ts';

/** A scenario argument that names a file (what `skew fuzz` writes) rather than a catalogue entry. */
export function isScenarioFile(arg: string): boolean {
  return arg.endsWith('.json');
}

/** Reads and validates a scenario written as JSON (the catalogue's shape, `skew list --json`). */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  // Never opened unless a regular file: reading a FIFO would wait for a writer forever.
  const kind = await pathKind(path);
  if (kind !== 'file' && kind !== 'missing')
    throw new HarnessError(
      'INVALID_SCENARIO',
      `scenario file ${path} is ${aKind(kind)}, not a file`,
      'give the path of a scenario JSON file (skew fuzz writes them under ./fuzz/); to pipe one in, save it to a file first',
    );
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new HarnessError(
      'INVALID_SCENARIO',
      `cannot read scenario file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      'give the path of a scenario JSON file (skew fuzz writes them under ./fuzz/)',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HarnessError(
      'INVALID_SCENARIO',
      `${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`,
      'a scenario file holds one JSON object with name, title, description, source, versions, steps, checks and reference',
    );
  }
  return parseScenario(json as Scenario, path);
}
