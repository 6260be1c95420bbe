// `http-request use-service prometheus-exporter`: the text parses as Prometheus exposition format,
// names and labels follow HAProxy's exporter, and counters are summed over 4 workers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { request, startServer } from '../../helpers/http-harness';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** a strict reader of the text format: every line is a comment or `name{labels} value` */
function parseProm(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (t !== null) {
      types.set(t[1] as string, t[2] as string);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    assert.ok(m !== null, `not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] as string] = l[2] as string;
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

function value(samples: Sample[], name: string, labels: Record<string, string>): number {
  const s = samples.find(
    (x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v),
  );
  assert.ok(s !== undefined, `no sample ${name} ${JSON.stringify(labels)}`);
  return s.value;
}

describe('prometheus exporter', () => {
  let sluice: StartedSluice;
  let backend: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    backend = await startServer((_req, res) => res.end('ok'));
    sluice = await startSluice(
      `defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${await freePort()}
    http-request use-service prometheus-exporter if { path /metrics }
    default_backend be
backend be
    server s1 127.0.0.1:${backend.port}
    server s2 127.0.0.1:${await freePort()} disabled
`,
      { workers: 4 },
    );
  });
  after(async () => {
    await sluice?.stop();
    await backend?.close();
  });

  it('serves HAProxy metric names with exact sums over the workers', async () => {
    const N = 120;
    for (let i = 0; i < N; i += 30) {
      const rs = await Promise.all(
        Array.from({ length: 30 }, () => request(sluice.port('fe'), { path: '/x' })),
      );
      for (const r of rs) assert.equal(r.status, 200);
    }
    const r = await request(sluice.port('fe'), { path: '/metrics' });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseProm(r.body.toString());
    assert.equal(types.get('haproxy_frontend_http_responses_total'), 'counter');
    assert.equal(value(samples, 'haproxy_frontend_http_requests_total', { proxy: 'fe' }), N);
    assert.equal(value(samples, 'haproxy_frontend_http_responses_total', { proxy: 'fe', code: '2xx' }), N);
    assert.equal(value(samples, 'haproxy_backend_http_responses_total', { proxy: 'be', code: '2xx' }), N);
    assert.equal(value(samples, 'haproxy_backend_sessions_total', { proxy: 'be' }), N);
    assert.equal(value(samples, 'haproxy_server_sessions_total', { proxy: 'be', server: 's1' }), N);
    assert.equal(value(samples, 'haproxy_server_status', { proxy: 'be', server: 's1', state: 'UP' }), 1);
    assert.equal(value(samples, 'haproxy_server_status', { proxy: 'be', server: 's2', state: 'MAINT' }), 1);
    assert.equal(value(samples, 'haproxy_backend_status', { proxy: 'be', state: 'UP' }), 1);
    assert.equal(value(samples, 'haproxy_server_check_failures_total', { proxy: 'be', server: 's1' }), 0);
    assert.equal(value(samples, 'haproxy_process_nbthread', {}), 4);
    // the exporter's own requests never reach a backend
    assert.equal(value(samples, 'haproxy_backend_http_requests_total', { proxy: 'be' }), N);
  });
});
