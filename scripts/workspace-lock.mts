// Resolves test/workspace's lockfile for npm, yarn and pnpm into test/workspace/locks/.
//   usage: node scripts/workspace-lock.mts   (after changing a package.json of test/workspace)
import { lockWorkspace } from '../e2e/workspace.ts';

for (const pm of ['npm', 'yarn', 'pnpm'] as const) lockWorkspace(pm);
