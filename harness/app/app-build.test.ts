import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors/harness-error.ts';
import { bundlerFor } from './app-build.ts';
import type { AppProject } from './project.ts';

const project = (nextVersion: string): AppProject => ({
  dir: '/apps/web',
  name: 'web',
  packageManager: 'npm',
  lockfile: 'package-lock.json',
  nextVersion,
  nextMajor: Number(nextVersion.split('.')[0]),
  nodeModules: '/apps/web/node_modules',
});

function refusal(f: () => unknown): HarnessError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    return e as HarnessError;
  }
  throw new Error('expected bundlerFor to throw');
}

describe('bundlerFor', () => {
  it('Next 16: auto is Turbopack (its default, no flag); webpack needs --webpack', () => {
    expect(bundlerFor(project('16.4.6'), 'auto')).toEqual({ bundler: 'turbopack', flags: [] });
    expect(bundlerFor(project('16.4.6'), 'turbopack')).toEqual({ bundler: 'turbopack', flags: [] });
    expect(bundlerFor(project('16.4.6'), 'webpack')).toEqual({ bundler: 'webpack', flags: ['--webpack'] });
  });

  it('Next 15: auto is webpack; Turbopack builds need 15.3 and --turbopack', () => {
    expect(bundlerFor(project('15.2.0'), 'auto')).toEqual({ bundler: 'webpack', flags: [] });
    expect(bundlerFor(project('15.2.0'), 'webpack')).toEqual({ bundler: 'webpack', flags: [] });
    const e = refusal(() => bundlerFor(project('15.2.0'), 'turbopack'));
    expect(e.code).toBe('UNSUPPORTED_APP');
    expect(e.message).toContain('15.2.0');
    expect(e.hint).toContain('--bundler webpack');
    expect(bundlerFor(project('15.3.0'), 'turbopack')).toEqual({ bundler: 'turbopack', flags: ['--turbopack'] });
  });

  it('Next 14: webpack only', () => {
    expect(bundlerFor(project('14.2.0'), 'auto')).toEqual({ bundler: 'webpack', flags: [] });
    expect(refusal(() => bundlerFor(project('14.2.0'), 'turbopack')).code).toBe('UNSUPPORTED_APP');
  });

  it("auto follows the app's build script", () => {
    expect(bundlerFor(project('15.5.0'), 'auto', 'next build --turbopack')).toEqual({ bundler: 'turbopack', flags: ['--turbopack'] });
    expect(bundlerFor(project('15.5.0'), 'auto', 'prisma generate && next build --turbo')).toEqual({
      bundler: 'turbopack',
      flags: ['--turbopack'],
    });
    expect(bundlerFor(project('16.4.6'), 'auto', 'next build --webpack')).toEqual({ bundler: 'webpack', flags: ['--webpack'] });
    expect(bundlerFor(project('15.5.0'), 'auto', 'next build && echo --turbopack')).toEqual({ bundler: 'webpack', flags: [] });
    expect(bundlerFor(project('16.4.6'), 'auto', 'next lint --webpack; next build')).toEqual({ bundler: 'turbopack', flags: [] });
    expect(refusal(() => bundlerFor(project('14.2.0'), 'auto', 'next build --turbopack')).code).toBe('UNSUPPORTED_APP');
  });

  it('an explicit choice wins over the build script', () => {
    expect(bundlerFor(project('16.4.6'), 'webpack', 'next build --turbopack')).toEqual({ bundler: 'webpack', flags: ['--webpack'] });
    expect(bundlerFor(project('15.5.0'), 'webpack', 'next build --turbopack')).toEqual({ bundler: 'webpack', flags: [] });
  });
});
