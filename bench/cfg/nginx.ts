// nginx configurations: nginx as the fast backend (fixed bodies from memory or page cache), and
// nginx as a peer proxy with the closest equivalent of each scenario's HAProxy configuration.
import type { Scenario } from '../scenarios';
import { SMALL_BODY } from '../scenarios';
import type { ProxyPorts } from './haproxy';
import { join } from 'node:path';
import { hardNofile } from '../util/proc';

/** logged-stdout: nginx logs to this named pipe in its directory (see util/child.ts stdoutFifo) */
export const NGINX_STDOUT_FIFO = 'stdout.fifo';

/** Lines every nginx we start shares: foreground, one worker, state in our temp dir. */
function preamble(dir: string, connections: number): string[] {
  // A proxied connection takes two worker connections; when they run short nginx closes idle
  // keep-alive connections, which the idle scenario would count as drops.
  const workerConnections = connections * 2 + 64;
  return [
    // The bench runs as root and its temp dir is private (0700): workers must read it.
    'user root;',
    'daemon off;',
    'worker_processes 1;',
    `worker_rlimit_nofile ${Math.min(workerConnections + 64, hardNofile())};`,
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log error;`,
    `events { worker_connections ${workerConnections}; }`,
  ];
}

function tempPaths(dir: string): string[] {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `    ${k}_temp_path ${dir}/${k};`);
}

/** nginx serving /small, /16k, /1m (files in `dir`), POST /post and / (health checks). */
export function nginxBackendConfig(dir: string, port: number, maxConnections: number): string {
  return [
    ...preamble(dir, maxConnections),
    'http {',
    '    access_log off;',
    ...tempPaths(dir),
    '    default_type application/octet-stream;',
    '    sendfile on;',
    '    tcp_nopush on;',
    '    open_file_cache max=16;',
    // nginx 1.22 closes a keep-alive connection after 100 requests by default; a backend that
    // does so would measure reconnects, not the proxy.
    '    keepalive_requests 100000000;',
    '    keepalive_timeout 120s;',
    '    client_max_body_size 4m;',
    '    client_body_buffer_size 128k;',
    '    server {',
    `        listen 127.0.0.1:${port} backlog=4096;`,
    `        root ${dir}/www;`,
    `        location = /small { return 200 "${SMALL_BODY.replace('\n', '\\n')}"; }`,
    '        location = /post { return 200 "ok\\n"; }',
    '        location = / { return 200 "ok\\n"; }',
    '    }',
    '}',
    '',
  ].join('\n');
}

/** Why nginx cannot run a scenario as a peer, or null when it can. */
export function nginxPeerUnsupported(s: Scenario, hasStream: boolean): string | null {
  if (s.proxy === 'checks') return 'nginx (open source) has no active health checks';
  if (s.proxy === 'tcp' && !hasStream)
    return 'the nginx stream module is not installed (libnginx-mod-stream)';
  return null;
}

/** nginx as a proxy, as close as nginx allows to the scenario's HAProxy configuration. */
export function nginxProxyConfig(
  s: Scenario,
  dir: string,
  ports: ProxyPorts,
  maxConnections: number,
  accessLog: boolean,
): string {
  const head = preamble(dir, maxConnections);
  if (s.proxy === 'tcp') {
    return [
      'load_module modules/ngx_stream_module.so;',
      ...head,
      'stream {',
      `    server { listen 127.0.0.1:${ports.listen}; proxy_pass 127.0.0.1:${ports.backend}; }`,
      '}',
      '',
    ].join('\n');
  }
  const full = s.proxy === 'full' || s.proxy === 'logged';
  return [
    ...head,
    'http {',
    s.proxy === 'logged-stdout' && accessLog
      ? `    access_log ${join(dir, NGINX_STDOUT_FIFO)};`
      : full && accessLog
        ? `    access_log syslog:server=127.0.0.1:${ports.logSink},facility=local0;`
        : '    access_log off;',
    ...tempPaths(dir),
    '    keepalive_requests 100000000;',
    `    keepalive_timeout ${s.kind === 'idle' ? '120s' : '10s'};`,
    '    client_max_body_size 4m;',
    `    upstream be { server 127.0.0.1:${ports.backend}; keepalive 256; keepalive_requests 100000000; }`,
    '    server {',
    `        listen 127.0.0.1:${ports.listen} backlog=4096;`,
    '        location / {',
    '            proxy_pass http://be;',
    '            proxy_http_version 1.1;',
    '            proxy_set_header Connection "";',
    ...(full
      ? [
          // The two ACLs and the header rewrite of the HAProxy configuration.
          '            if ($uri ~ ^/admin) { return 403; }',
          '            if ($http_user_agent ~* sqlmap) { return 403; }',
          '            proxy_set_header X-Forwarded-For $remote_addr;',
          '            proxy_set_header X-Forwarded-Proto http;',
        ]
      : []),
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
}
