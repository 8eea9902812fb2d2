/**
 * The run's folder name: `<stamp>-<scenario>[-control]-<deployer>-<4 random>`. The names are
 * slugs: the folder's path goes to nginx and Docker, and a deployer file named `dep'loy.sh` or
 * `$(id).sh` must still run (its real name stays in the report).
 */
export function runIdOf(startedAt: Date, scenario: string, deployer: string, opts: { control?: boolean; random?: string } = {}): string {
  const random = opts.random ?? Math.random().toString(36).slice(2, 6);
  return `${stamp(startedAt)}-${slug(scenario)}${opts.control ? '-control' : ''}-${slug(deployer)}-${random}`;
}

/** Only letters, digits, `.`, `_` and `-` (a run of anything else is one `-`); never empty, never hidden. */
export function slug(name: string): string {
  const s = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 60);
  return s || 'x';
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');
}
