import { describe, expect, it } from 'vitest';
import { type IncludePolicy, parse, vetIncludes } from './nginx-includes.ts';

const policy: IncludePolicy = {
  deployRoot: '/runs/r/stack/deploy',
  logsDir: '/runs/r/stack/origin/logs',
  ports: new Set([41001, 41002]),
  skewVariables: new Set(['skew_backend', 'skew_generation']),
  skewUpstreams: new Set(['skew_service']),
};
const vet = (server: string, http = '') =>
  vetIncludes(
    [
      { name: 'nginx/http.d/a.conf', text: http },
      { name: 'nginx/server.d/a.conf', text: server },
    ],
    policy,
  );

describe('vetIncludes (what a deployer may put in the origin nginx)', () => {
  it("passes our own deployers' includes unchanged: own-routing's maps and set, own-static's location, hardening", () => {
    const http = `map "$arg_dpl|$http_x_deployment_id" $own_id {
  "~^(?<own_dpl>[A-Za-z0-9_-]+)\\|" $own_dpl;
  "~^\\|(?<own_header>[A-Za-z0-9_-]+)$" $own_header;
  default "";
}
map $uri $own_pin {
  default $own_id;
}
map $own_pin $own_release {
  default "";
  "a-123" 127.0.0.1:41001;
}
`;
    const server = `if ($own_release) { set $skew_backend $own_release; }
location ~ "^/_next/static/(?<own_static>.+)$" {
  root "/runs/r/stack/deploy";
  add_header Cache-Control "public, max-age=31536000, immutable";
  try_files /current/.next/static/$own_static =404;
}
proxy_hide_header X-Powered-By;
location /api/ { proxy_pass http://$skew_backend; }
`;
    const v = vet(server, http);
    expect(v.refusals).toEqual([]);
    expect(v.rewrites).toEqual([]);
    expect(v.files.map((f) => f.text)).toEqual([http, server]);
  });

  it('rewrites a log path outside the deploy root into the origin logs, saying so; keeps one inside', () => {
    const v = vet('access_log /var/log/nginx/app.access.log combined;\naccess_log /runs/r/stack/deploy/logs/x.log;\nerror_log off;\n');
    expect(v.refusals).toEqual([]);
    expect(v.rewrites).toEqual([
      'nginx/server.d/a.conf:1: access_log /var/log/nginx/app.access.log → /runs/r/stack/origin/logs/deployer-app.access.log (outside the deploy root)',
    ]);
    expect(v.files[1]!.text).toBe(
      'access_log "/runs/r/stack/origin/logs/deployer-app.access.log" combined;\naccess_log /runs/r/stack/deploy/logs/x.log;\nerror_log off;\n',
    );
  });

  it('refuses what reaches outside: files, other ports, other hosts, request-chosen upstreams, code (negative controls)', () => {
    const cases: [string, RegExp][] = [
      ['location /h { alias /etc/hostname; }', /alias \/etc\/hostname: \/etc\/hostname is outside the deploy root/],
      ['root /runs/r/stack/deploy/../../..;', /climbs with \.\./],
      ['root html;', /not an absolute path/],
      ['location /x { proxy_pass http://127.0.0.1:22; }', /port 22 is not one of the stack's servers \(41001, 41002\)/],
      ['location /x { proxy_pass http://localhost; }', /port 80 is not one of the stack's servers/],
      ['location /x { proxy_pass http://example.com:41001; }', /example.com:41001 is not the stack/],
      ['location /x { proxy_pass http://unix:/run/docker.sock:/; }', /a Unix socket is not the stack/],
      ['location /x { proxy_pass http://$arg_to; }', /\$arg_to may come from the request/],
      ['set $b $http_host; location /x { proxy_pass http://$b; }', /\$b may come from the request/],
      ['set $skew_backend 127.0.0.1:6379;', /port 6379 is not one of the stack's servers/],
      ['access_log syslog:server=127.0.0.1:514;', /syslog reaches the network/],
      ['access_log /tmp/$host.log;', /a log path with variables/],
      ['include /etc/passwd;', /an included file is not vetted/],
      ['js_import /tmp/x.js;', /loads code/],
      ['perl_modules /tmp;', /loads code/],
      ['proxy_cache_path /tmp/c keys_zone=z:1m;', /loads code or reaches files/],
      ['location /x {', /a \{ without its \}/],
    ];
    for (const [server, why] of cases) expect(vet(server).refusals.join('\n'), server).toMatch(why);
    // An upstream of the deployer's own: its servers are checked where they are defined.
    expect(vet('location /x { proxy_pass http://mine; }', 'upstream mine { server 127.0.0.1:3306; }').refusals.join('\n')).toMatch(
      /port 3306 is not one of the stack's servers/,
    );
    expect(vet('location /x { proxy_pass http://mine; }', 'upstream mine { server 127.0.0.1:41002; }').refusals).toEqual([]);
    expect(vet('location /x { proxy_pass http://skew_service; }').refusals).toEqual([]);
    // A map whose value is a request variable cannot pick the upstream.
    expect(vet('location /x { proxy_pass http://$to; }', 'map $arg_x $to { default $arg_x; }').refusals.join('\n')).toMatch(
      /\$to may come/,
    );
  });

  it('reads quotes, escapes, comments and line numbers as nginx does', () => {
    const { statements, error } = parse('# c\nset $a "x;y" ; # trailing\nmap $a $b {\n  "~\\"q" 1;\n}\n');
    expect(error).toBeUndefined();
    expect(statements.map((s) => [s.name.value, s.args.map((a) => a.value), s.context, s.name.line])).toEqual([
      ['set', ['$a', 'x;y'], [], 2],
      ['map', ['$a', '$b'], [], 3],
      ['~"q', ['1'], ['map $b'], 4],
    ]);
  });
});
