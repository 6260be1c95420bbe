// The scenarios: what load each one sends and which proxy configuration it needs. The proxy
// configuration itself is generated from `proxy` by cfg/haproxy.ts (and cfg/nginx.ts for nginx).

/** Paths every backend serves (backends/uws-server.ts, cfg/nginx.ts). */
export const BODY_SIZES = { small: 13, '16k': 16 * 1024, '1m': 1024 * 1024 } as const;
export const SMALL_BODY = 'hello, world\n';
export const POST_BODY_BYTES = 64 * 1024;

export type ProxyShape =
  /** mode http, one server, nothing else */
  | 'bare'
  /** access log, forwardfor, two ACLs, a header rewrite */
  | 'full'
  /** the bare path plus an HTTP access log (option httplog) to a UDP syslog sink */
  | 'logged'
  /** the same log written to the proxy's stdout, a pipe the suite drains (as a container runtime does) */
  | 'logged-stdout'
  /** mode tcp */
  | 'tcp'
  /** 100 servers with active HTTP health checks */
  | 'checks';

/** The number each scenario is judged by. */
export type Headline = 'rps' | 'mbps' | 'bytes-per-conn' | 'p99';

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** what it measures, for docs and the Markdown summary */
  readonly measures: string;
  readonly kind: 'load' | 'idle';
  readonly proxy: ProxyShape;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly bodyBytes: number;
  readonly connections: number;
  /** close the connection after every response */
  readonly newConnection: boolean;
  readonly headline: Headline;
  /** a fixed request rate over all connections (open loop, paced client), null = closed loop */
  readonly rate: number | null;
}

function load(p: Partial<Scenario> & Pick<Scenario, 'id' | 'title' | 'measures'>): Scenario {
  return {
    kind: 'load',
    proxy: 'bare',
    method: 'GET',
    path: '/small',
    bodyBytes: 0,
    connections: 64,
    newConnection: false,
    headline: 'rps',
    rate: null,
    ...p,
  };
}

export const SCENARIOS: readonly Scenario[] = [
  load({
    id: 'get-64',
    title: 'small GET, keep-alive, 64 conns',
    measures: 'per-request overhead of the HTTP path',
  }),
  load({
    id: 'get-256',
    title: 'small GET, keep-alive, 256 conns',
    measures: 'the same with more concurrent connections (event-loop and scheduling cost)',
    connections: 256,
  }),
  load({
    id: 'resp-16k',
    title: '16 KiB responses',
    measures: 'body streaming for typical page/API sizes',
    path: '/16k',
    headline: 'rps',
  }),
  load({
    id: 'resp-1m',
    title: '1 MiB responses',
    measures: 'large-body throughput and backpressure (MB/s)',
    path: '/1m',
    connections: 16,
    headline: 'mbps',
  }),
  load({
    id: 'post-64k',
    title: '64 KiB POST bodies',
    measures: 'request-body streaming to the upstream',
    method: 'POST',
    path: '/post',
    bodyBytes: POST_BODY_BYTES,
  }),
  load({
    id: 'new-conn',
    title: 'new connection per request',
    measures: 'accept + connection setup cost (Connection: close on every request)',
    newConnection: true,
  }),
  {
    ...load({
      id: 'idle-10k',
      title: '10k idle keep-alive connections',
      measures: 'memory per idle client connection (VmRSS of the worker before/after)',
      headline: 'bytes-per-conn',
    }),
    kind: 'idle',
  },
  load({
    id: 'tcp-1m',
    title: 'TCP mode, 1 MiB responses',
    measures: 'L4 forwarding throughput (MB/s)',
    proxy: 'tcp',
    path: '/1m',
    connections: 16,
    headline: 'mbps',
  }),
  load({
    id: 'get-rate-10k',
    title: 'small GET at a fixed 10k req/s',
    measures:
      'latency at the same offered load for every target (open loop: requests fall due at a fixed rate, ' +
      'paced client, no coordinated omission), CPU per request at that load',
    rate: 10_000,
    headline: 'p99',
  }),
  load({ id: 'bare-path', title: 'bare path (same as get-64)', measures: 'baseline for full-path' }),
  load({
    id: 'full-path',
    title: 'full default path',
    measures: 'access log + forwardfor + two ACLs + a header rewrite, next to bare-path',
    proxy: 'full',
  }),
  load({
    id: 'log-path',
    title: 'bare path with an access log',
    measures: 'cost of access logging (option httplog to a UDP syslog sink), next to bare-path',
    proxy: 'logged',
  }),
  load({
    id: 'log-stdout',
    title: 'bare path with an access log to stdout',
    measures: 'cost of access logging (option httplog to stdout, a pipe), next to bare-path',
    proxy: 'logged-stdout',
  }),
  load({
    id: 'checks-100',
    title: 'health checks on 100 servers',
    measures: 'small GET while 100 servers are HTTP-checked every 500 ms',
    proxy: 'checks',
  }),
];

export function findScenarios(ids: readonly string[]): { found: Scenario[]; unknown: string[] } {
  if (ids.length === 0) return { found: [...SCENARIOS], unknown: [] };
  const found: Scenario[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const s = SCENARIOS.find((x) => x.id === id);
    if (s === undefined) unknown.push(id);
    else found.push(s);
  }
  return { found, unknown };
}
