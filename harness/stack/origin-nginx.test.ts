import { describe, expect, it } from 'vitest';
import { nginxPath } from '../cdn/nginx-config.ts';
import { renderOriginConfig, renderOriginRoutes } from './origin-nginx.ts';

const conf = renderOriginConfig({ prefix: '/p', port: 4100, deployRoot: '/srv/app', dir: '/p', runId: 'r' });

describe('renderOriginConfig (the single-origin world: the origin nginx)', () => {
  it("includes the deployer's http.d at http level and server.d after skew's backend, before skew's locations", () => {
    // Vetted copies (harness/stack/nginx-includes.ts) in the origin's prefix, never the deployer's files themselves.
    const http = conf.indexOf('include "/p/deployer/nginx/http.d/*.conf";');
    const server = conf.indexOf('server {');
    const backend = conf.indexOf('include "/p/app.conf";');
    const team = conf.indexOf('include "/p/deployer/nginx/server.d/*.conf";');
    expect(conf).not.toContain('include "/srv/app/');
    const locations = conf.indexOf('location ');
    expect(http).toBeGreaterThan(0);
    expect(http).toBeLessThan(server);
    // The deployer's `set $skew_backend …` runs after skew's, so it wins.
    expect(backend).toBeGreaterThan(server);
    expect(team).toBeGreaterThan(backend);
    expect(locations).toBeGreaterThan(team);
  });

  it('serves /_next/static from the release store and proxies the rest to $skew_backend, on loopback only', () => {
    expect(conf.match(/listen [^;]+;/g)).toEqual(['listen 127.0.0.1:4100;']);
    expect(conf).toContain('root "/srv/app";');
    expect(conf).toContain('location ~ "^/_next/static/(?<p>.+)$" {');
    expect(conf).toContain('include "/p/static.conf";');
    expect(conf).toContain('proxy_pass http://$skew_backend;');
    // Only a 200 is immutable: a 404 must never be cached for a year.
    expect(conf).not.toMatch(/immutable" always/);
  });

  it("follows a user app's static prefix, and refuses one that is not a plain path", () => {
    expect(renderOriginConfig({ prefix: '/p', port: 1, deployRoot: '/d', dir: '/p', runId: 'r', staticPrefix: '/docs' })).toContain(
      'location ~ "^/docs/_next/static/(?<p>.+)$" {',
    );
    expect(() => renderOriginConfig({ prefix: '/p', port: 1, deployRoot: '/d', dir: '/p', runId: 'r', staticPrefix: '/a b' })).toThrow(
      /not a plain URL path/,
    );
  });
});

describe('renderOriginConfig and renderOriginRoutes (the rolling world: the ingress)', () => {
  const ingress = renderOriginConfig({ prefix: '/p q', port: 4100, deployRoot: '/srv/my app', dir: '/p q', runId: 'r', mode: 'rolling' });

  it('sends /_next/static to the pods too (each serves its own build), with no Cache-Control of its own, and names the pod', () => {
    expect(ingress).toContain('include "/p q/pods.conf";');
    expect(ingress).not.toContain('immutable');
    expect(ingress.match(/add_header X-Skew-Upstream \$upstream_addr always;/g)).toHaveLength(2);
  });

  it('routes the Service round-robin over its pods, and gives each release its own upstream and listener', () => {
    const files = renderOriginRoutes(
      { kept: ['b-2', 'a-1'], pods: { service: [5001, 5002, 5003], releases: [{ id: 'a-1', port: 6001, pods: [5001, 5004] }] } },
      7,
      'rolling',
    );
    expect(files['app.conf']).toContain('set $skew_backend skew_service;');
    expect(files['static.conf']).toContain('proxy_pass http://$skew_backend;');
    expect(files['pods.conf']).toContain(
      'upstream skew_service {\n  server 127.0.0.1:5001;\n  server 127.0.0.1:5002;\n  server 127.0.0.1:5003;\n}',
    );
    expect(files['pods.conf']).toContain('upstream skew_release_a-1 {\n  server 127.0.0.1:5001;\n  server 127.0.0.1:5004;\n}');
    expect(files['pods.conf']).toContain('listen 127.0.0.1:6001;');
    // Before the first deploy the Service has no pod: a closed port answers 502, and nginx -t still passes.
    expect(renderOriginRoutes({ kept: [] }, 1, 'rolling')['pods.conf']).toContain('upstream skew_service {\n  server 127.0.0.1:9;\n}');
  });
});

describe('nginxPath', () => {
  it('quotes a path, spaces included, and refuses what nginx cannot take in one', () => {
    expect(nginxPath('/home/me/My Projects/runs')).toBe('"/home/me/My Projects/runs"');
    for (const bad of ['/a$b', '/a"b', "/a'b", '/a{b', '/a;b', '/a\\b', '/a\nb'])
      expect(() => nginxPath(bad), bad).toThrow(/nginx cannot be given the path/);
  });
});
