import type { Page } from 'playwright';
import type { Session } from '../browser/session.ts';
import type { Stamped } from '../core/history.ts';
import { combine, type CheckResult, type Verdict } from '../core/verdict.ts';
import type { Rig } from '../run/rig.ts';
import { runChecks } from '../run/run-checks.ts';
import type { Step } from '../steps/index.ts';
import { HarnessError } from '../errors/harness-error.ts';

/** Steps without their `kind`, by kind: what the shorthands take. */
type StepOf<K extends Step['kind']> = Omit<Extract<Step, { kind: K }>, 'kind'>;

/** Thrown by `expectPass`: the checks that did not pass, each with its evidence. */
export class SkewCheckError extends Error {
  constructor(readonly results: CheckResult[]) {
    const bad = results.filter((r) => r.verdict !== 'pass');
    super(
      `skew checks did not pass:\n${bad.map((r) => `  ${r.verdict.toUpperCase()} ${r.check}\n${r.evidence.map((e) => `    ${e}`).join('\n')}`).join('\n')}`,
    );
    this.name = 'SkewCheckError';
  }
}

/**
 * One test's view of the worker's stack: steps (the scenario catalogue's, by kind or through
 * the shorthands), the sessions they open, and the checks that judge what was recorded. Every
 * step is recorded in the test's history, which the fixture attaches to the test.
 */
export class SkewTest {
  private stepIndex = 0;
  /** Every check result this test asked for, in order (the test's report shows them). */
  readonly judged: CheckResult[] = [];

  constructor(private readonly rig: Rig) {}

  /** The CDN edge every session goes through. */
  get url(): string {
    return this.rig.stack.url;
  }

  /** The builds by version letter: build id, deployment id, directory, asset URLs. */
  get builds(): Rig['builds'] {
    return this.rig.builds;
  }

  /** Everything recorded so far (steps, deployer actions, purges, each session's requests). */
  get events(): readonly Stamped[] {
    return this.rig.history.events;
  }

  /** Runs any catalogue step (`skew explain <scenario>` shows them in use; harness/steps/ holds one file per kind). */
  async step(step: Step): Promise<void> {
    await this.rig.step(this.stepIndex++, step);
  }

  /** The deployer under test deploys `version` (A, B, …) and makes it current. */
  deploy(version: string, opts: Omit<StepOf<'deploy'>, 'version'> = {}): Promise<void> {
    return this.step({ kind: 'deploy', version, ...opts });
  }

  /** The deployer rolls back to an earlier `version`. */
  rollback(version: string): Promise<void> {
    return this.step({ kind: 'rollback', version });
  }

  /** A new visitor (own browser context) loads `path` through the edge; returns its page. */
  async open(session: string, path = '/', opts: Omit<StepOf<'openSession'>, 'session' | 'path'> = {}): Promise<Page> {
    await this.step({ kind: 'openSession', session, path, ...opts });
    return this.session(session).page;
  }

  /** The fixture's lazy `import()` button: fetches a chunk of the session's build. */
  lazyLoad(session: string): Promise<void> {
    return this.step({ kind: 'lazyLoad', session });
  }

  /** Clicks a `prefetch={false}` link (`data-testid=link`) and waits for `data-testid=expect`. */
  navigate(session: string, link: string, expect: string): Promise<void> {
    return this.step({ kind: 'navigate', session, link, expect });
  }

  /** A client-side navigation to `path` through Next's router (works on any app). */
  visit(session: string, path: string): Promise<void> {
    return this.step({ kind: 'visit', session, path });
  }

  /** Requests every static asset of `version` through the edge (what `old-assets-survive` judges). */
  probeAssets(version: string): Promise<void> {
    return this.step({ kind: 'probeAssets', version });
  }

  /** An open session, for anything else Playwright can do with its page. */
  session(name: string): Session {
    const s = this.rig.sessions.get(name);
    if (!s)
      throw new HarnessError(
        'INVALID_SCENARIO',
        `no open session named "${name}" (open: ${[...this.rig.sessions.keys()].join(', ') || 'none'})`,
        `open it first: await skew.open('${name}', '/')`,
      );
    return s;
  }

  /** Judges the history so far with the named checks (`skew list` shows them). */
  judge(...checks: string[]): CheckResult[] {
    const results = runChecks(checks, this.events, this.rig.builds, this.rig.context.deployerOptions);
    this.judged.push(...results);
    return results;
  }

  /** The combined verdict of `judge(...checks)`. */
  verdict(...checks: string[]): Verdict {
    return combine(this.judge(...checks).map((r) => r.verdict));
  }

  /** Fails the test, with every check's evidence, unless all the named checks pass. */
  expectPass(...checks: string[]): void {
    const results = this.judge(...checks);
    if (results.some((r) => r.verdict !== 'pass')) throw new SkewCheckError(results);
  }
}
