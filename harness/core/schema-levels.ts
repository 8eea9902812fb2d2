/**
 * The fixture's database schemas. Schema 1 is fixtures/app/db/migrations/001_profile.sql;
 * each later one adds a migration to the builds that use it. A version reads exactly the
 * schema it was built for: older code on a newer schema is what makes a rollback unsafe.
 */
export interface SchemaLevel {
  /** The query the version's /account page runs. */
  read: string;
  /** The migration that reaches this level (none for 1: it is fixture source). */
  migration?: { file: string; sql: string };
  /** Can code built for the previous level still read this one? (expand vs. contract) */
  backwardCompatible: boolean;
}

export const SCHEMAS: Record<number, SchemaLevel> = {
  1: { read: 'SELECT display_name AS name FROM profile WHERE id = ?', backwardCompatible: true },
  2: {
    read: 'SELECT full_name AS name FROM profile WHERE id = ?',
    // A rename: "renamed tables, dropped columns" is the document's not-backward-compatible case.
    migration: {
      file: '002_rename_display_name.sql',
      sql: '-- Schema 2: display_name becomes full_name. Code built for schema 1 can no longer read profiles.\n-- backward-compatible: no\nALTER TABLE profile RENAME COLUMN display_name TO full_name;\n',
    },
    backwardCompatible: false,
  },
};
