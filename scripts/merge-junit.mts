/**
 * Merges the JUnit XML of a sharded nightly into one file:
 *   npx tsx scripts/merge-junit.ts <out.xml> <part.xml>…
 * (Playwright's own reports are merged by `playwright merge-reports`.)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mergeJUnit } from '../harness/run/junit.ts';

const [out, ...parts] = process.argv.slice(2);
if (!out || !parts.length) {
  console.error('usage: tsx scripts/merge-junit.ts <out.xml> <part.xml>…');
  process.exit(64);
}
await mkdir(dirname(out), { recursive: true });
await writeFile(out, mergeJUnit(await Promise.all(parts.map((p) => readFile(p, 'utf8')))));
console.error(`merged ${parts.length} file(s) into ${out}`);
