import { describe, expect, it } from 'vitest';
import { renderOriginConfig } from './origin-nginx.ts';

const conf = renderOriginConfig({ prefix: '/p', port: 4100, deployRoot: '/srv/app', dir: '/p', runId: 'r' });

describe('renderOriginConfig (the single-origin world: the origin nginx)', () => {
  it("includes the deployer's http.d at http level and server.d after skew's backend, before skew's locations", () => {
    const http = conf.indexOf('include /srv/app/nginx/http.d/*.conf;');
    const server = conf.indexOf('server {');
    const backend = conf.indexOf('include /p/app.conf;');
    const team = conf.indexOf('include /srv/app/nginx/server.d/*.conf;');
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
    expect(conf).toContain('root /srv/app;');
    expect(conf).toContain('location ~ "^/_next/static/(?<p>.+)$" {');
    expect(conf).toContain('include /p/static.conf;');
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
