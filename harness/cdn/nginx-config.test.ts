import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors/harness-error.ts';
import { nginxPath, renderEdgeConfig, renderRoutes } from './nginx-config.ts';

const input = { prefix: '/p', edgePort: 4001, staticPort: 4002, deployRoot: '/d', njsModule: '/m.so', htmlTtl: '10m' };

describe('renderEdgeConfig', () => {
  const conf = renderEdgeConfig(input);

  it('keeps every runtime path under the prefix and listens on loopback only', () => {
    expect(conf).toContain('pid "/p/nginx.pid";');
    for (const t of ['client', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) expect(conf).toContain(`/p/temp/${t}`);
    expect(conf.match(/listen [^;]+;/g)).toEqual(['listen 127.0.0.1:4001;', 'listen 127.0.0.1:4002;']);
  });

  it('quotes every path, so a folder with a space works', () => {
    const spaced = renderEdgeConfig({ ...input, prefix: '/my runs/p', deployRoot: '/my runs/d' });
    expect(spaced).toContain('pid "/my runs/p/nginx.pid";');
    expect(spaced).toContain('root "/my runs/d";');
    expect(spaced).toContain('proxy_cache_path "/my runs/p/');
    expect(spaced.match(/ \/my runs/g)).toBeNull();
  });

  it('puts the deployment id in the cache key and ignores Vary with Accept-Encoding stripped', () => {
    expect(conf).toMatch(/proxy_cache_key "[^"]*dpl=\$skew_pin\|split=\$skew_split_key";/);
    expect(conf).toContain('proxy_ignore_headers Vary;');
    expect(conf).toContain('proxy_set_header Accept-Encoding "";');
  });

  it('never makes a static 404 immutable, and caches 404s only when asked to', () => {
    const staticBlocks = conf.split('location ~').slice(1);
    for (const b of staticBlocks) expect(b).not.toMatch(/immutable" always/);
    expect(conf).not.toMatch(/proxy_cache_valid 404/);
    expect(renderEdgeConfig({ ...input, cacheStatic404: '3m' })).toContain('proxy_cache_valid 404 3m;');
  });

  it('adds the public-file cache rule only when asked, never for /_next', () => {
    expect(conf).not.toContain('skew_cache_rule');
    const withRule = renderEdgeConfig({ ...input, publicTtl: '1h' });
    expect(withRule).toContain('location ~* "^/(?!_next/).*\\.(svg|txt|ico|png|jpe?g|gif|webp|json|xml|woff2?)$"');
    expect(withRule).toContain('proxy_cache_valid 200 1h;');
  });

  it('only lets deployment-id-shaped pins reach a path', () => {
    expect(conf).toContain('"~^(?<a>[A-Za-z0-9][A-Za-z0-9_-]{0,63})\\|" $a;');
  });

  it('sends the Cloudflare-named status and Age on every answer', () => {
    expect(conf).toContain('add_header CF-Cache-Status $cdn_status always;');
    expect(conf).toContain('add_header Age $cdn_age always;');
  });
});

describe('renderRoutes', () => {
  it('routes unpinned traffic to current and pinned to its origin, static fallback newest first', () => {
    const r = renderRoutes({ generation: 3, current: 'b-2', origins: { 'a-1': 5001, 'b-2': 5002 }, kept: ['b-2', 'a-1'] });
    expect(r.http).toContain('default 127.0.0.1:5002;');
    expect(r.http).toContain('"a-1" 127.0.0.1:5001;');
    expect(r.http).toContain('default "3"');
    expect(r.static).toContain(
      'try_files /current/.next/static/$p /releases/b-2/.next/static/$p /releases/a-1/.next/static/$p /static-store/$p /bucket/app/_next/static/$p =404;',
    );
    expect(r.http).toContain('map $host $skew_split_key { default ""; }');
  });

  it('hands out the deployment cookie on pages only when asked, and pins by it', () => {
    const conf = renderEdgeConfig(input);
    expect(conf).not.toContain('$skew_set_deployment');
    const withCookie = renderEdgeConfig({ ...input, deploymentCookie: true });
    expect(withCookie).toContain('add_header Set-Cookie $skew_set_deployment;');
    expect(withCookie).toMatch(/"~\^\\\|\/_next\/" "";/);
    expect(conf).toContain('map "$arg_dpl|$http_x_deployment_id|$cookie_skew_dpl" $skew_pin');
  });

  it('splits new visitors by percent, sticky per visitor, keeps pinned requests on their deployment, and keys HTML by route', () => {
    const r = renderRoutes({
      generation: 4,
      origins: { 'a-1': 5001, 'b-2': 5002 },
      kept: [],
      split: [
        { deploymentId: 'b-2', percent: 10 },
        { deploymentId: 'a-1', percent: 90 },
      ],
    });
    expect(r.http).toMatch(/split_clients "\$\{skew_visitor\}" \$skew_split \{\n {2}10% "b-2";\n {2}\* "a-1";\n\}/);
    expect(r.http).toMatch(/map \$skew_pin \$skew_route \{\n {2}default \$skew_split;\n {2}"a-1" "a-1";\n {2}"b-2" "b-2";/);
    expect(r.http).toContain('"b-2" 127.0.0.1:5002;');
    expect(r.http).toContain('map $host $skew_split_key { default $skew_route; }');
    // A revision without an origin, or at 0 %, gets nobody.
    const r2 = renderRoutes({
      generation: 5,
      origins: { 'a-1': 5001 },
      kept: [],
      split: [
        { deploymentId: 'b-2', percent: 50 },
        { deploymentId: 'a-1', percent: 50 },
      ],
    });
    expect(r2.http).toMatch(/\$skew_split \{\n {2}\* "a-1";\n\}/);
  });
  it('answers 502 before the first deploy', () => {
    expect(renderRoutes({ generation: 1, origins: {}, kept: [] }).http).toContain('default 127.0.0.1:9;');
  });
});

describe('the single-origin world at the edge', () => {
  it('sends /_next/static to the one origin with the request URI, instead of its own static origin', () => {
    const single = renderEdgeConfig({ ...input, origin: 4100 });
    const staticBlock = single.slice(
      single.indexOf('location /_next/static/'),
      single.indexOf('}', single.indexOf('location /_next/static/')),
    );
    expect(staticBlock).toContain('proxy_pass http://127.0.0.1:4100;');
    expect(staticBlock).not.toContain('$skew_static_path');
    expect(renderEdgeConfig(input)).toContain('proxy_pass http://127.0.0.1:4002$skew_static_path$uri;');
  });

  it('routes every request, pinned or not, to the upstream: no map entry per deployment', () => {
    const { http } = renderRoutes({ generation: 3, upstream: 4100, current: 'a-1', origins: { 'a-1': 5001, 'b-2': 5002 }, kept: ['a-1'] });
    expect(http).toContain('map $skew_pin $skew_origin {\n  default 127.0.0.1:4100;\n}');
    expect(http).not.toContain('5001');
    expect(http).not.toContain('"b-2"');
  });
});

describe('nginxPath', () => {
  it('refuses a path nginx cannot take with a hint that names only what exists (runs go to ./runs; no --runs-dir)', () => {
    let e: unknown;
    try {
      nginxPath("/home/me/it's/runs");
    } catch (thrown) {
      e = thrown;
    }
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).hint).not.toMatch(/--runs-dir/);
    expect((e as HarnessError).hint).toContain('skew writes its runs under ./runs of the folder it is started in');
  });
});
