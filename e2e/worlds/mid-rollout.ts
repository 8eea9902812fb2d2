import { expect, type SkewTest } from '../../harness/playwright/index.ts';

/** What answered one request: the build whose page it is (`<html data-dpl-id>`) and the pod (the ingress's X-Skew-Upstream). */
export interface Answer {
  build: string | null;
  pod: string | null;
}

/**
 * The rolling world (docs/worlds.md): a tab opened on A, then B rolled out and held with two
 * pods of each build behind the Service (`pauseMidRollout`). Returns the tab's page and a way to
 * ask, from inside the tab, which build answers eight of its requests carrying A's deployment
 * id (`x-deployment-id`, as Next's router sends it), one after another.
 */
export async function tabOnAMidRollout(skew: SkewTest) {
  await skew.deploy('A');
  const page = await skew.open('tab', '/');
  await expect(page.getByTestId('version')).toHaveText('A');
  await skew.deploy('B', { pauseMidRollout: true });
  const builds = (answers: Answer[]) => new Set(answers.map((a) => a.build));
  const ask = (label: string): Promise<Answer[]> =>
    page.evaluate(
      async ({ dpl, label }) => {
        const out: Answer[] = [];
        for (let i = 0; i < 8; i++) {
          const r = await fetch(`/about?${label}=${i}`, { headers: { 'x-deployment-id': dpl }, cache: 'no-store' });
          out.push({ build: /data-dpl-id="([^"]+)"/.exec(await r.text())?.[1] ?? null, pod: r.headers.get('x-skew-upstream') });
        }
        return out;
      },
      { dpl: skew.builds.A!.deploymentId, label },
    );
  return { page, ask, builds, a: skew.builds.A!.deploymentId, b: skew.builds.B!.deploymentId };
}
