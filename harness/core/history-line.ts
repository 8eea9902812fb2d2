import type { HistoryEvent } from './history.ts';

/**
 * One line of history.jsonl: Stamped, spelled out for docs/history.schema.json
 * (ts-json-schema-generator does not read Stamped's generic default).
 */
export type HistoryLine = HistoryEvent & {
  /** Real milliseconds since the run started. */
  t: number;
  /** The scenario clock's milliseconds since the run started, once the clock was advanced. */
  c?: number;
};
