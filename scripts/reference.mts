// Writes docs/reference.md from the CLI definition and the registries (`npm run reference`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_PATH, referenceMarkdown } from '../cli/reference.ts';
import { PACKAGE_ROOT } from '../harness/io/package-root.ts';

writeFileSync(join(PACKAGE_ROOT, REFERENCE_PATH), referenceMarkdown());
console.log(`wrote ${REFERENCE_PATH}`);
