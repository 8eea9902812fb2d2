import { ofType } from '../core/history.ts';
import { capped, stepAt, type Check } from './check.ts';

/**
 * The rollback document: "Swapping current to a prior release is an atomic operation … there is
 * no window where current points to nothing." Judged from what the deploy root showed while each
 * deployer action ran (inotify): any moment without `current`, or a `current` unlinked and made
 * again rather than renamed over, fails, however short, because the web server serving
 * `/_next/static` and `public/` through it answers 404 then, and a CDN may keep that 404.
 */
export const atomicSwitch: Check = {
  name: 'atomic-switch',
  description: '`current` is replaced in one rename: there is never a moment without it',
  fix: 'make the new link under a temporary name and rename it over current (`ln -sfn target current.next && mv -Tf current.next current`); never `rm current` then `ln -s`',
  worlds: {
    'single-origin':
      "the team's nginx serves static files through `current` on the VPS: in a moment without it they answer 404, and the CDN in front may cache those 404s",
  },
  judge({ events }) {
    const switches = ofType(events, 'switch');
    const bad = switches.flatMap((s) =>
      s.gaps.map(
        (g) =>
          `${stepAt(events, s.t) ?? s.after}: ${g.how === 'missing' ? `no current for ${g.ms} ms` : 'current was unlinked, then linked again (no rename over it)'}`,
      ),
    );
    if (bad.length) return { verdict: 'fail', evidence: capped(bad) };
    const n = switches.reduce((a, s) => a + s.switches, 0);
    return {
      verdict: 'pass',
      evidence: [
        n ? `${n} replacement(s) of current, each one rename: never a moment without it` : 'the deployer never replaced a current link',
      ],
    };
  },
};
