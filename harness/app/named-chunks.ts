/**
 * The JavaScript chunks a document names: script tags, preloads, the Pages Router's build
 * manifest, and the App Router's flight data (`self.__next_f`, where client references list
 * their chunks as `static/chunks/…`, JSON-escaped). A chunk a page fetches beyond these is lazy
 * code: `import()`, `next/dynamic`, `ssr: false`.
 */
export function chunksNamedIn(html: string): Set<string> {
  return new Set([...html.matchAll(/static\/[^"'\s\\)]+?\.js/g)].map((m) => chunkName(m[0])));
}

/** The file name of a chunk path (no query: `?dpl=` does not make another chunk). */
export function chunkName(path: string): string {
  const p = path.split('?')[0]!;
  return p.slice(p.lastIndexOf('/') + 1);
}
