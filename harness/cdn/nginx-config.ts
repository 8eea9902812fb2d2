/**
 * The nginx configuration of the CDN edge, as pure functions of their inputs. The same text runs
 * in both runtimes (local process and container): every path is absolute and identical inside
 * the container because the stack directory is bind-mounted at the same path.
 *
 * One nginx instance holds two servers:
 * - the *edge* (public port): proxy cache, Cloudflare-style `CF-Cache-Status`, a real `Age`,
 *   routing of HTML/data to the Next origin of `current` or of the pinned deployment;
 * - the *static origin* (internal port): serves `/_next/static/*` from the release store on
 *   disk, as the document's "web server serves _next/static from the release" does. It sits
 *   behind the edge so hashed assets go through the cache like on a real CDN.
 */
import { HarnessError } from '../errors/harness-error.ts';

export interface EdgeConfigInput {
  /** nginx prefix: pid, logs, temp paths and the cache live under it. */
  prefix: string;
  edgePort: number;
  staticPort: number;
  /** Release store root: `releases/<deploymentId>/` and the `current` symlink. */
  deployRoot: string;
  /** Absolute path of ngx_http_js_module.so (njs computes Age and the cache status). */
  njsModule: string;
  /** Cache lifetime for HTML that carries no Cache-Control (Pages Router auto-static). */
  htmlTtl: string;
  /** Cache 404 answers of `/_next/static` for this long (a misconfiguration, for scenarios). */
  cacheStatic404?: string;
  /**
   * stale-if-error (default on): when the origin errors, times out or answers 502/503/504, serve
   * the cached copy even if it expired. `false` is the misconfiguration the negative control of
   * the stale-if-error test runs against.
   */
  staleIfError?: boolean;
  /**
   * A Cloudflare-style cache rule "Edge TTL: ignore origin" for static-looking files outside
   * /_next (public/ files: .svg, .txt, .ico, …). Next sends them `max-age=0`; a CDN with such a
   * rule keeps serving the cached copy until it is purged — the rollback document's public/ case.
   */
  publicTtl?: string;
  /**
   * Platform mode, like Amplify: pages set a deployment cookie naming the deployment that served
   * them, and the cookie pins every later request of that browser — all its tabs.
   */
  deploymentCookie?: boolean;
  /**
   * What precedes `/_next/static` in asset URLs: a user app's basePath or path-only assetPrefix
   * (e.g. `/docs`). The files on disk stay at `.next/static/`.
   */
  staticPrefix?: string;
  /**
   * The single-origin world: the port of the one origin (the team's nginx) that every request
   * goes to, `/_next/static` included. Unset: the edge's own static origin and per-release routes.
   */
  origin?: number;
}

export interface Routes {
  /** Bumped on every change, served at /__skew/generation, so a reload can be awaited. */
  generation: number;
  /** Deployment id of `current`, or undefined before the first deploy. */
  current?: string;
  /** Origin port of each running deployment. */
  origins: Record<string, number>;
  /** Deployment ids whose release directories exist, newest first (unpinned static fallback). */
  kept: string[];
  /**
   * A traffic split (the platform mode's revisions): new visitors go to a deployment by percent,
   * sticky per visitor cookie; pinned requests still go to their own deployment. Without it,
   * unpinned requests go to `current`.
   */
  split?: { deploymentId: string; percent: number }[];
  /** The single-origin world: every request goes to this one port, pinned or not (no routing by deployment id). */
  upstream?: number;
}

/** Deployment ids travel in URLs and headers; only this shape may reach a filesystem path. */
export const DEPLOYMENT_ID_PATTERN = '[A-Za-z0-9][A-Za-z0-9_-]{0,63}';

export const CACHE_DIR = 'cache';
/**
 * The rollback document's alternative to kept releases: every build's `.next/static` merged
 * (rsync) into one store under the deploy root. Looked up after the release directories.
 */
export const STATIC_STORE = 'static-store';
/**
 * The platform mode's object store: `bucket/<app>/_next/static/…`, a flat upload of every
 * build's `.next/static`. Looked up last, pinned or not (its build-id folders and content-hashed
 * chunks never collide).
 */
export const BUCKET = 'bucket';
export const BUCKET_APP = 'app';
/** Cookies: the visitor id a split is sticky on, and the deployment a browser is pinned to. */
export const VISITOR_COOKIE = 'skew_visitor';
export const DEPLOYMENT_COOKIE = 'skew_dpl';
export const ROUTES_HTTP = 'routes-http.conf';
export const ROUTES_STATIC = 'routes-static.conf';
export const NJS_FILE = 'cdn.js';

/**
 * The cache key. Not `Vary`: Next varies on rsc/router headers and Accept-Encoding, which would
 * make key-based purge miss entries; the rsc headers go in the key explicitly, the encoding is
 * stripped upstream. The pinned deployment id is part of the key because `_rsc` query hashes are
 * identical across builds. Method is left out so a HEAD (curl -I) sees the GET's entry.
 * `purge.ts` parses this exact shape back: keep them in step.
 */
export const CACHE_KEY =
  '$scheme://$host$request_uri|rsc=$http_rsc|prefetch=$http_next_router_prefetch|segment=$http_next_router_segment_prefetch|dpl=$skew_pin|split=$skew_split_key';

/** Only plain path segments may reach a location or regex. */
const STATIC_PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/;

/** A user app's basePath or path assetPrefix, checked, and as it goes into a regex. */
export function staticPrefixOf(staticPrefix: string | undefined): { sp: string; spRe: string } {
  const sp = staticPrefix ?? '';
  if (!STATIC_PREFIX.test(sp))
    throw new HarnessError(
      'UNSUPPORTED_APP',
      `the app's static prefix ${JSON.stringify(sp)} is not a plain URL path like /docs`,
      'skew supports a basePath or a path assetPrefix made of URL path segments; an absolute assetPrefix (another host) is not served by the edge',
    );
  return { sp, spRe: sp.replace(/\./g, '\\.') };
}

/**
 * A path as one nginx token, quoted: a folder may contain spaces. nginx has no escape for `$`
 * (a variable), quotes, braces, `;` or a backslash in a path, so such a path is refused, named.
 */
export function nginxPath(path: string): string {
  if (/["'$\\{};\r\n]/.test(path))
    throw new HarnessError(
      'INVALID_OPTION',
      `nginx cannot be given the path ${JSON.stringify(path)}: it contains one of $ " ' { } ; \\ or a line break`,
      'skew writes its runs under ./runs of the folder it is started in: start it from a folder whose path has none of those characters (spaces are fine)',
    );
  return `"${path}"`;
}

/** The MIME types nginx serves static files with (both nginx configurations). */
export const MIME_TYPES = `  types {
    text/html html htm;
    text/css css;
    application/javascript js mjs;
    application/json json map;
    text/plain txt;
    image/svg+xml svg;
    image/png png;
    image/x-icon ico;
    font/woff2 woff2;
    font/woff woff;
  }
  default_type application/octet-stream;`;

/** What both nginx configurations tell the server they proxy to: keep-alive HTTP/1.1, the original host. */
export const PROXY_HEADERS = `    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-Host $http_host;
    proxy_set_header X-Forwarded-Proto $scheme;`;

/** How both nginx configurations open their http block: temp paths under the prefix, MIME types, sendfile. */
export function httpCommon(prefix: string): string {
  return `  client_body_temp_path ${nginxPath(`${prefix}/temp/client`)};
  proxy_temp_path ${nginxPath(`${prefix}/temp/proxy`)};
  fastcgi_temp_path ${nginxPath(`${prefix}/temp/fastcgi`)};
  uwsgi_temp_path ${nginxPath(`${prefix}/temp/uwsgi`)};
  scgi_temp_path ${nginxPath(`${prefix}/temp/scgi`)};
${MIME_TYPES}
  sendfile on;
  server_tokens off;`;
}

/**
 * Where an unpinned `/_next/static/<p>` is looked for on disk, under the deploy root: `current`,
 * then each kept release newest first, then the merged store and the platform's bucket.
 */
export function staticTryFiles(kept: readonly string[]): string {
  const candidates = [
    '/current/.next/static/$p',
    ...kept.map((id) => `/releases/${id}/.next/static/$p`),
    `/${STATIC_STORE}/$p`,
    `/${BUCKET}/${BUCKET_APP}/_next/static/$p`,
  ];
  return `try_files ${candidates.join(' ')} =404;`;
}

export function renderEdgeConfig(c: EdgeConfigInput): string {
  const p = c.prefix;
  const { sp, spRe } = staticPrefixOf(c.staticPrefix);
  return `# generated by skew: the CDN edge. Do not edit; regenerated per run.
load_module ${nginxPath(c.njsModule)};
# As root, workers as root too: they must read the release store and the purge service
# (also root) deletes their cache files. Ignored with a notice when not started as root.
user root;
worker_processes 1;
# A reload is done only when the old workers are gone (see 0002); bound how long an old worker
# may linger on a connection that stays busy, as a CDN cuts off a draining node.
worker_shutdown_timeout 1s;
daemon off;
pid ${nginxPath(`${p}/nginx.pid`)};
error_log stderr notice;

# Room for --load: a thousand kept-alive clients plus the upstream connections they cause.
worker_rlimit_nofile 16384;
events { worker_connections 8192; }

http {
${httpCommon(p)}

  js_import cdn from ${nginxPath(`${p}/${NJS_FILE}`)};
  js_set $cdn_status cdn.status;
  js_set $cdn_age cdn.age;

  log_format skew escape=json '{"t":$msec,"server":"$server_port","method":"$request_method","uri":"$request_uri",'
    '"status":$status,"cache":"$cdn_status","age":"$cdn_age","pin":"$skew_pin","upstream":"$upstream_addr",'
    '"upstreamStatus":"$upstream_status","dplHeader":"$http_x_deployment_id"}';
  access_log ${nginxPath(`${p}/logs/access.log`)} skew;

  proxy_cache_path ${nginxPath(`${p}/${CACHE_DIR}`)} levels=1:2 keys_zone=edge:10m max_size=1g inactive=365d use_temp_path=off;

  # The deployment a request is pinned to: ?dpl= (assets) or x-deployment-id (RSC, /_next/data).
  # Anything not shaped like a deployment id is ignored, never used in a path.
  map "$arg_dpl|$http_x_deployment_id|$cookie_${DEPLOYMENT_COOKIE}" $skew_pin {
    "~^(?<a>${DEPLOYMENT_ID_PATTERN})\\|" $a;
    "~^\\|(?<h>${DEPLOYMENT_ID_PATTERN})\\|" $h;
    "~^\\|\\|(?<k>${DEPLOYMENT_ID_PATTERN})$" $k;
    default "";
  }
  # The visitor a traffic split is sticky on: its cookie, or for a first request a fresh id
  # that the edge hands out with the answer.
  map $cookie_${VISITOR_COOKIE} $skew_visitor {
    "" $request_id;
    default $cookie_${VISITOR_COOKIE};
  }
  map $cookie_${VISITOR_COOKIE} $skew_set_visitor {
    "" "${VISITOR_COOKIE}=$request_id; Path=/; SameSite=Lax";
    default "";
  }
${
  c.deploymentCookie
    ? `  # Pages (not /_next) hand out the deployment cookie once; it then pins the whole browser.
  map "$cookie_${DEPLOYMENT_COOKIE}|$uri" $skew_set_deployment {
    "~^\\|/_next/" "";
    "~^\\|" "${DEPLOYMENT_COOKIE}=$skew_route; Path=/; SameSite=Lax";
    default "";
  }
`
    : ''
}
  # Static lookups: pinned ones only in that release, unpinned ones in current, then kept releases.
  map $skew_pin $skew_static_path {
    "" "/any";
    default "/pin/$skew_pin";
  }

  include ${nginxPath(`${p}/${ROUTES_HTTP}`)};

  server {
    listen 127.0.0.1:${c.edgePort};
    server_name _;

${PROXY_HEADERS}
    proxy_set_header Accept-Encoding "";
    proxy_ignore_headers Vary;

    proxy_cache edge;
    proxy_cache_key "${CACHE_KEY}";
    ${
      c.staleIfError === false
        ? 'proxy_cache_use_stale off;'
        : `proxy_cache_use_stale error timeout updating http_502 http_503 http_504;
    proxy_cache_background_update on;`
    }
    proxy_cache_lock on;

    gzip on;
    gzip_proxied any;
    gzip_vary on;
    gzip_types text/css application/javascript application/json text/plain image/svg+xml text/x-component;

    add_header CF-Cache-Status $cdn_status always;
    add_header Age $cdn_age always;
    add_header X-Skew-Pin $skew_pin always;
    add_header Set-Cookie $skew_set_visitor;${c.deploymentCookie ? '\n    add_header Set-Cookie $skew_set_deployment;' : ''}

    location = /__skew/health { access_log off; return 200 "ok\\n"; }
    location = /__skew/generation { access_log off; return 200 "$skew_generation\\n"; }

    location ${sp}/_next/static/ {
      ${
        c.origin
          ? `# One origin serves everything: its nginx looks the file up.
      proxy_pass http://127.0.0.1:${c.origin};`
          : `proxy_pass http://127.0.0.1:${c.staticPort}$skew_static_path$uri;`
      }
      # A probe asking what is on origin ("keep it on origin for 15 minutes") skips the cache
      # both ways (CF-Cache-Status: BYPASS). Only loopback reaches this edge.
      proxy_cache_bypass $http_x_skew_origin;
      proxy_no_cache $http_x_skew_origin;
      # 200s carry "immutable" from the static origin; a 404 carries no Cache-Control and is
      # not stored unless a scenario asks for that misconfiguration.
      ${c.cacheStatic404 ? `proxy_cache_valid 404 ${c.cacheStatic404};` : '# 404s are never cached'}
    }

${
  c.publicTtl
    ? `    location ~* "^/(?!_next/).*\\.(svg|txt|ico|png|jpe?g|gif|webp|json|xml|woff2?)$" {
      set $skew_cache_rule "edge-ttl";  # tells cdn.js the origin's max-age=0 is overridden here
      proxy_pass http://$skew_origin;
      proxy_ignore_headers Cache-Control Expires Vary;
      proxy_cache_valid 200 ${c.publicTtl};
    }

`
    : ''
}    location / {
      proxy_pass http://$skew_origin;
      # Only answers without Cache-Control use this; Next's own s-maxage / no-store win.
      proxy_cache_valid 200 ${c.htmlTtl};
    }
  }

  server {
    listen 127.0.0.1:${c.staticPort};
    server_name _;
    access_log off;
    root ${nginxPath(c.deployRoot)};
    disable_symlinks off;
    etag on;

    location ~ "^/pin/(?<d>${DEPLOYMENT_ID_PATTERN})${spRe}/_next/static/(?<p>.+)$" {
      # No "always": only a 200 is immutable. A 404 must never be cached for a year.
      add_header Cache-Control "public, max-age=31536000, immutable";
      try_files /releases/$d/.next/static/$p /${STATIC_STORE}/$p /${BUCKET}/${BUCKET_APP}/_next/static/$p =404;
    }
    location ~ "^/any${spRe}/_next/static/(?<p>.+)$" {
      add_header Cache-Control "public, max-age=31536000, immutable";
      include ${nginxPath(`${p}/${ROUTES_STATIC}`)};
    }
    location / { return 404; }
  }
}
`;
}

/** The part that changes on every deploy: which origin serves what, which releases to look in. */
export function renderRoutes(r: Routes, originHost = '127.0.0.1'): { http: string; static: string } {
  const lines = [`# generated by skew, generation ${r.generation}`];
  if (r.upstream !== undefined) {
    // One origin for everything: a CDN in front of a single server routes nothing by deployment.
    lines.push('map $skew_pin $skew_origin {', `  default ${originHost}:${r.upstream};`, '}');
    lines.push('map $host $skew_split_key { default ""; }', 'map $host $skew_route { default ""; }');
  } else if (r.split) {
    // Unpinned (or pinned to what no longer runs): by the split, sticky per visitor.
    const shares = r.split.filter((s) => s.percent > 0 && r.origins[s.deploymentId] !== undefined);
    lines.push(`split_clients "\${skew_visitor}" $skew_split {`);
    for (const s of shares.slice(0, -1)) lines.push(`  ${s.percent}% "${s.deploymentId}";`);
    lines.push(`  * "${shares.at(-1)?.deploymentId ?? ''}";`, '}');
    lines.push('map $skew_pin $skew_route {', '  default $skew_split;');
    for (const id of Object.keys(r.origins)) lines.push(`  "${id}" "${id}";`);
    lines.push('}', 'map $skew_route $skew_origin {', `  default ${originHost}:9;`);
    for (const [id, port] of Object.entries(r.origins)) lines.push(`  "${id}" ${originHost}:${port};`);
    // HTML of different revisions must not share a cache entry.
    lines.push('}', 'map $host $skew_split_key { default $skew_route; }');
  } else {
    lines.push('map $skew_pin $skew_origin {');
    const currentPort = r.current !== undefined ? r.origins[r.current] : undefined;
    // Before the first deploy (or if current has no origin) answer 502 from a closed port.
    lines.push(`  default ${originHost}:${currentPort ?? 9};`);
    for (const [id, port] of Object.entries(r.origins)) lines.push(`  "${id}" ${originHost}:${port};`);
    lines.push('}', 'map $host $skew_split_key { default ""; }', 'map $host $skew_route { default ""; }');
  }
  lines.push(`map $host $skew_generation { default "${r.generation}"; }`, '');
  return {
    http: lines.join('\n'),
    static: `# generated by skew, generation ${r.generation}\n${staticTryFiles(r.kept)}\n`,
  };
}
