// Soak run (not in CI): sluice's HTTP pipeline in this process, with a steady backend and a
// flapping one, under mixed traffic from a child process (keep-alive GETs, 64 KiB POSTs, requests
// aborted mid-response, slow readers). Prints RSS and heap every interval and, at the end, the
// growth after warm-up (against the first interval and against the fifth minute) and the trend
// over the second half of the run (least squares, MiB per hour). Usage:
//   npx tsc -p . && node dist/bench/soak.js [minutes=30] [interval-seconds=60]
import http from 'node:http';
import net from 'node:net';
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { startProxy } from '../test/helpers/http-harness';
import { growthPct, secondHalfSlopePerHour } from './util/trend';

const BODY = Buffer.alloc(64 * 1024, 0x61);

function backend(): Promise<http.Server> {
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-length': String(BODY.length * 8) });
        for (let i = 0; i < 8; i++) res.write(BODY);
        res.end();
      } else res.end('ok');
    });
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

/** A server that goes away and comes back every `periodMs` on the same port. */
async function flapping(periodMs: number): Promise<{ port: number; stop: () => void }> {
  let s = await backend();
  const port = (s.address() as AddressInfo).port;
  let up = true;
  const t = setInterval(() => {
    if (up) {
      s.closeAllConnections();
      s.close();
    } else {
      s = http.createServer((req, res) => {
        req.resume();
        res.end('flap');
      });
      s.listen(port, '127.0.0.1');
    }
    up = !up;
  }, periodMs);
  return { port, stop: () => clearInterval(t) };
}

async function main(): Promise<void> {
  const minutes = Number(process.argv[2] ?? 30);
  const intervalS = Number(process.argv[3] ?? 60);
  const steady = await backend();
  const flap = await flapping(10_000);
  const cfg = `
global
  maxconn 2000
defaults
  mode http
  timeout connect 500ms
  timeout client 5s
  timeout server 5s
  timeout http-request 3s
  retries 1
  option redispatch
frontend fe
  bind 127.0.0.1:0
  default_backend be
backend be
  balance roundrobin
  server steady 127.0.0.1:${(steady.address() as AddressInfo).port}
  server flap 127.0.0.1:${flap.port}
`;
  const proxy = await startProxy(cfg);
  const port = proxy.port('fe');
  const child = fork(__filename, ['load', String(port)], { stdio: 'inherit' });
  const samples: { minute: number; rss: number; heap: number }[] = [];
  const started = Date.now();
  const mb = (n: number): string => (n / 1048576).toFixed(1);
  console.log(`soak: ${minutes} min, sample every ${intervalS} s, node ${process.version}`);
  console.log('minute\trss MiB\theap MiB\trequests');
  let requests = 0;
  child.on('message', (m: unknown) => {
    if (typeof m === 'number') requests = m;
  });
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      global.gc?.();
      const m = process.memoryUsage();
      const minute = (Date.now() - started) / 60000;
      samples.push({ minute, rss: m.rss, heap: m.heapUsed });
      const min = minute.toFixed(1);
      console.log(`${min}\t${mb(m.rss)}\t${mb(m.heapUsed)}\t${requests}`);
      if (Date.now() - started >= minutes * 60000) {
        clearInterval(t);
        resolve();
      }
    }, intervalS * 1000);
  });
  child.kill();
  flap.stop();
  await proxy.close();
  steady.closeAllConnections();
  steady.close();
  const warm = samples[0];
  const last = samples[samples.length - 1];
  if (warm !== undefined && last !== undefined) {
    const g = (a: number, b: number): string => `${growthPct(a, b).toFixed(1)}%`;
    console.log(`growth after warm-up: rss ${g(warm.rss, last.rss)}, heap ${g(warm.heap, last.heap)}`);
    const five = samples.find((x) => x.minute >= 5 - 1e-6);
    if (five !== undefined && five !== last) {
      console.log(`growth after 5 min: rss ${g(five.rss, last.rss)}, heap ${g(five.heap, last.heap)}`);
    }
    const mins = samples.map((x) => x.minute);
    const trend = (v: number[]): string => {
      const perHour = secondHalfSlopePerHour(mins, v);
      return `${perHour >= 0 ? '+' : ''}${mb(perHour)}`;
    };
    console.log(
      `second-half trend (MiB/h): rss ${trend(samples.map((x) => x.rss))}, heap ${trend(samples.map((x) => x.heap))}`,
    );
  }
  process.exit(0);
}

/** The traffic mix, run in a child so its own memory does not count. */
function load(port: number): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let done = 0;
  const get = (path: string, abort: boolean): Promise<void> =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
        if (abort) {
          req.destroy();
          resolve();
          return;
        }
        res.resume();
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      });
      req.on('error', () => resolve());
    });
  const post = (): Promise<void> =>
    new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/up', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', () => resolve());
      req.end(BODY);
    });
  /** reads a large response one small piece at a time, then goes away */
  const slowReader = (): Promise<void> =>
    new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET /big HTTP/1.1\r\nHost: soak\r\n\r\n'));
      s.pause();
      let reads = 0;
      const t = setInterval(() => {
        s.read(1024);
        if (++reads > 20) {
          clearInterval(t);
          s.destroy();
          resolve();
        }
      }, 100);
      s.on('error', () => {});
    });
  const loop = async (kind: number): Promise<void> => {
    for (;;) {
      if (kind === 0) await get('/', false);
      else if (kind === 1) await post();
      else if (kind === 2) await get('/big', true);
      else await slowReader();
      done++;
    }
  };
  for (let i = 0; i < 12; i++) void loop(i % 4);
  setInterval(() => process.send?.(done), 1000);
}

if (process.argv[2] === 'load') load(Number(process.argv[3]));
else void main();
