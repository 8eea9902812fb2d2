/**
 * The version of the history's schema (core/history.ts's HistoryEvent, published as
 * docs/history.schema.json). A run records it in judge.json. Bump it when an event changes in a
 * way an older reader would misread (a field renamed or removed, a meaning changed); adding an
 * event type or an optional field keeps it.
 */
export const HISTORY_SCHEMA_VERSION = 1;
