/**
 * How the edge names what it caches (CACHE_KEY in harness/cdn/nginx-config.ts:
 * `scheme://host/path?q|rsc=…|dpl=…`): purges match on the host, path and query. Pure: the purge
 * service and the checks that judge purges read keys the same way.
 */

/** `https://Host:8080/a?b` and `host/a?b` both become `host/a?b`. */
export function normalizeUrl(u: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(u) ? u : `http://${u}`;
  const url = new URL(withScheme);
  return `${url.hostname.toLowerCase()}${url.pathname}${url.search}`;
}

/** The key's URL part, as `host/path?q`. */
export function hostPathOfKey(key: string): string {
  const url = key.slice(0, key.indexOf('|') < 0 ? key.length : key.indexOf('|'));
  return normalizeUrl(url);
}
