import type { Scenario } from '../harness/scenario/parse.ts';
import { PINNED_AND_SINGLE_ORIGIN } from './bases.ts';

/** Rollback document, "Comparison: Rollback vs Forward Fix" and "When to Reconsider Rollback". */
export const rollbackVsForwardFix: Scenario = {
  name: 'rollback-vs-forward-fix',
  title: 'Rollback vs forward fix: the bad deploy migrated the database',
  description:
    'B ships migration 002, which renames profile.display_name to full_name (not backward-compatible), and the deployer runs it. Rolling back to A would put back code that reads display_name: /account would fail for everyone. The deployer must refuse that rollback (B stays live and working) and the team fixes forward with C, built for the new schema.',
  source:
    'rollback-nextjs-static-assets: table row "Database/schema dependency — Check: rolled-back code must be compatible with current DB state"; "If your bad deploy included a database migration that is not backward-compatible … forward-fix with a hotfix deploy is mandatory."',
  versions: ['A', 'B', 'C'],
  worlds: PINNED_AND_SINGLE_ORIGIN,
  schema: { B: 2, C: 2 },
  steps: [
    { kind: 'deploy', version: 'A' },
    { kind: 'openSession', session: 'account-a', path: '/account' },
    { kind: 'deploy', version: 'B' },
    { kind: 'openSession', session: 'account-b', path: '/account' },
    { kind: 'rollback', version: 'A' },
    { kind: 'openSession', session: 'after-rollback', path: '/account' },
    { kind: 'deploy', version: 'C' },
    { kind: 'openSession', session: 'after-fix', path: '/account' },
  ],
  checks: ['rollback-safety', 'no-server-errors', 'new-sessions-current'],
  reference: {
    good: 'releases-symlink',
    broken: [{ deployer: 'rollback-ignores-schema', fails: ['rollback-safety', 'no-server-errors', 'new-sessions-current'] }],
  },
};
