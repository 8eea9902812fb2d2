// Resolves the lockfile of each generated corpus app (e2e/corpus.ts GENERATED) and writes it,
// with a SOURCE.md naming the starter, its licence and the versions resolved, to test/apps/<name>/.
//   usage: npx tsx scripts/corpus-lock.mts [name…]   (default: every generated app without a lockfile)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GENERATED } from '../e2e/corpus.ts';
import { generate, LOCKFILE, resolveLockfile } from '../e2e/corpus-generated.ts';

const names = process.argv.slice(2);
const apps = GENERATED.filter((a) =>
  names.length ? names.includes(a.name) : !existsSync(resolve('test/apps', a.name, LOCKFILE[a.packageManager])),
);
for (const app of apps) {
  const from = app.from!;
  const work = mkdtempSync(join(tmpdir(), `skew-corpus-lock-${app.name}-`));
  const dir = join(work, app.name);
  try {
    const t0 = Date.now();
    generate(from, dir);
    const lock = resolveLockfile(dir, app.packageManager);
    const out = resolve('test/apps', app.name);
    mkdirSync(out, { recursive: true });
    copyFileSync(lock, join(out, LOCKFILE[app.packageManager]));
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const [starter] = from.npm.split(/(?<=.)@/);
    const meta = JSON.parse(execFileSync('npm', ['view', from.npm, 'license', 'repository', '--json']).toString()) as {
      license?: string;
      repository?: { url?: string };
    };
    const licence = [`licence ${meta.license ?? 'not stated'}`, meta.repository?.url ?? 'no repository named'];
    writeFileSync(
      join(out, 'SOURCE.md'),
      [
        `# ${app.name}`,
        '',
        `${app.shape}.`,
        '',
        `Generated at test time by **${from.npm}** (${licence.join(', ')}) from the npm registry:`,
        from.args
          ? `\`npx ${from.npm} ${app.name} ${from.args.join(' ')}\``
          : `the folder \`${from.folder}\` of the package \`${from.npm}\``,
        '',
        `Only \`${LOCKFILE[app.packageManager]}\` is committed here: resolved by \`scripts/corpus-lock.mts\` on ${new Date().toISOString().slice(0, 10)}`,
        `with ${app.packageManager}; the test installs from it (\`${app.packageManager === 'npm' ? 'npm ci' : `${app.packageManager} install --frozen-lockfile`}\`).`,
        `The starter's package.json asks for next ${pkg.dependencies?.next ?? '?'}, react ${pkg.dependencies?.react ?? '?'}.`,
        `Nothing of ${starter}'s output is changed.`,
        '',
      ].join('\n'),
    );
    console.log(`${app.name}: ${LOCKFILE[app.packageManager]} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } catch (e) {
    console.error(`${app.name}: ${(e as { stderr?: Buffer }).stderr?.toString().slice(-1500) ?? e}`);
    process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
