/**
 * A scenario as JSON of one step, deploy A, judged by cache-status: what tests of a deployer's
 * contract (its sandbox, its exits) run it through. `extra` adds or replaces fields.
 */
export function oneDeploy(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    title: name,
    description: 'deploy A',
    source: 'test',
    versions: ['A'],
    steps: [{ kind: 'deploy', version: 'A' }],
    checks: ['cache-status'],
    reference: { good: 'releases-symlink', broken: [] },
    ...extra,
  };
}
