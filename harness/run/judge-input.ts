import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stamped } from '../core/history.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { HISTORY_SCHEMA_VERSION } from '../core/history-schema.ts';
import type { Judged } from './judge.ts';
import type { ScenarioReport } from './report.ts';

/** The file of a run folder that holds what its checks were given besides the history. */
export const JUDGE_FILE = 'judge.json';

/**
 * Everything `judge` needs of a run but its history, as JSON: the scenario as it was judged
 * (adapted to an app, checks included), the deployer's name and part, the world, the builds
 * (deployment ids, build ids, asset URLs), and how the steps went. With history.jsonl beside it,
 * a run can be judged again without running it (`skew judge`).
 */
export interface JudgeInput {
  schemaVersion: 1;
  /** The version of the history's schema the run wrote (docs/history.schema.json). */
  historySchema: number;
  judged: Omit<Judged, 'events' | 'startedAt'> & { startedAt: string };
  /** A run a signal stopped: its report says interrupted whatever the checks say. */
  interrupted?: ScenarioReport['interrupted'];
}

export async function writeJudgeInput(
  dir: string,
  judged: Omit<Judged, 'events'>,
  interrupted?: ScenarioReport['interrupted'],
): Promise<void> {
  const input: JudgeInput = {
    schemaVersion: 1,
    historySchema: HISTORY_SCHEMA_VERSION,
    judged: {
      ...judged,
      startedAt: judged.startedAt.toISOString(),
      deployer: { name: judged.deployer.name, reference: judged.deployer.reference },
      played: {
        stepErrors: judged.played.stepErrors,
        traces: judged.played.traces,
        ...(judged.played.deployerFailure ? { deployerFailure: judged.played.deployerFailure } : {}),
      },
    },
    ...(interrupted ? { interrupted } : {}),
  };
  await writeFile(join(dir, JUDGE_FILE), `${JSON.stringify(input)}\n`);
}

/** A run folder's judge input and history; a coded refusal when the folder cannot be judged again. */
export async function readRun(dir: string): Promise<{ input: JudgeInput; events: Stamped[] }> {
  const text = await readFile(join(dir, JUDGE_FILE), 'utf8').catch(() => undefined);
  if (text === undefined)
    throw new HarnessError(
      'INVALID_RUN_FOLDER',
      `${dir} has no ${JUDGE_FILE}: not a run folder, or one written by a skew before \`skew judge\``,
      'give the folder of one run (runs/<id>, as a report prints after "evidence:"); run the scenario again to get one',
    );
  const input = JSON.parse(text) as JudgeInput;
  if (input.historySchema > HISTORY_SCHEMA_VERSION)
    throw new HarnessError(
      'INVALID_RUN_FOLDER',
      `${dir} was written with history schema ${input.historySchema}; this skew reads up to ${HISTORY_SCHEMA_VERSION}`,
      'judge it with the skew that wrote it, or a newer one',
    );
  const history = await readFile(join(dir, 'history.jsonl'), 'utf8').catch(() => undefined);
  if (history === undefined)
    throw new HarnessError('INVALID_RUN_FOLDER', `${dir} has no history.jsonl`, 'a run folder keeps its history.jsonl: was it removed?');
  const events = history
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as Stamped;
      } catch (e) {
        throw new HarnessError(
          'INVALID_RUN_FOLDER',
          `${join(dir, 'history.jsonl')} line ${i + 1} is not JSON`,
          'the history was cut or edited',
          { cause: e },
        );
      }
    });
  return { input, events };
}
