import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

/**
 * The schema version of the app's SQLite database (`PRAGMA user_version`, which the
 * migrations set), or null when there is no database yet. Read-only: the deployer owns it.
 */
export function databaseSchema(path: string): number | null {
  if (!existsSync(path)) return null;
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
    return row?.user_version ?? null;
  } finally {
    db.close();
  }
}
