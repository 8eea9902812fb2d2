import { htmlToPurge } from '../harness/builds/routes.ts';
import type { Build } from '../harness/builds/types.ts';
import type { Deployer } from '../harness/deployers/deployer.ts';
import { type ReloadHow, startControlPlane } from '../harness/stack/control-plane.ts';
import type { Stack } from '../harness/stack/stack.ts';

/**
 * One deployer action against a stack outside the scenario runner (integration tests, bench):
 * the same context the runner gives, with a real control plane, then the process manager.
 */
export async function deployDirect(
  deployer: Deployer,
  stack: Stack,
  build: Build,
  onPurge: (request: unknown) => void = () => {},
): Promise<void> {
  const purge = (r: Parameters<Stack['edge']['purge']>[0]) => stack.edge.purge(r);
  const reload = async (how: ReloadHow = {}) => void (await stack.reconcile(how));
  // Accepted purges, by their request: through the API (scripts) or direct (modules) alike.
  // try/finally rather than `await using`: the import-graph check's parser (dependency-cruiser
  // with swc) does not read `using` declarations yet.
  const control = await startControlPlane({ purge, onPurge: (rec) => rec.request && onPurge(rec.request), reload });
  try {
    await deployer.deploy({
      action: 'deploy',
      version: build.variant,
      now: Date.now(),
      root: stack.deployRoot,
      world: stack.world,
      build,
      siteUrl: stack.url,
      edgeUrls: [stack.url],
      ...(await htmlToPurge(build.dir)),
      endpoints: { cloudflare: control.cloudflare, reloadUrl: control.reloadUrl },
      timeoutMs: 60_000,
      log: () => {},
      reload,
      purge: async (r) => {
        onPurge(r);
        await purge(r);
      },
    });
  } finally {
    await control.close();
  }
  await stack.reconcile();
}
