import { describe, expect, it } from 'vitest';
import { nginxPath } from '../cdn/nginx-config.ts';
import { runIdOf, slug } from './run-id.ts';

describe('run folder names', () => {
  const at = new Date('2025-03-04T05:06:07.890Z');

  it('are the stamp, the scenario, the deployer and a random part', () => {
    expect(runIdOf(at, 'roll-forward', 'releases-symlink', { random: 'ab12' })).toBe('20250304-050607Z-roll-forward-releases-symlink-ab12');
    expect(runIdOf(at, 'roll-back', 'deploy.sh', { control: true, random: 'ab12' })).toBe(
      '20250304-050607Z-roll-back-control-deploy.sh-ab12',
    );
    expect(runIdOf(at, 'roll-back', 'deploy.sh')).toMatch(/^20250304-050607Z-roll-back-deploy\.sh-[a-z0-9]{1,4}$/);
  });

  it('take a deployer named with a quote, $(…), spaces or a line break: a path nginx accepts', () => {
    for (const name of ["dep'loy.sh", '$(id).sh', 'my "deploy" {x};\n.sh', 'a\\b`c`.ts', 'déployer.mjs']) {
      const id = runIdOf(at, 'roll-forward', name, { random: 'ab12' });
      expect(id, name).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(() => nginxPath(`/work/runs/${id}/stack`), name).not.toThrow();
    }
    expect(slug("dep'loy.sh")).toBe('dep-loy.sh');
    expect(slug('$(id).sh')).toBe('id-.sh');
    expect(slug('..')).toBe('x');
    expect(slug('.hidden.sh')).toBe('hidden.sh');
    expect(slug('x'.repeat(100))).toHaveLength(60);
  });
});
