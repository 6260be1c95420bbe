// Does the loaded uWS build hold a paused request body? A uWS server forwards a 200 MiB upload to
// a TCP sink, the way sluice does: pause() when the sink's socket is full, resume() on 'drain'.
// Prints the most bytes ever queued for the sink: about one socket buffer when pause() holds,
// tens of MiB when uWS reads on (20.57; docs/hardening.md, "Request body backpressure"). The
// client and the sink run in their own processes. Usage:
//   npm run build && node dist/bench/uws-pause.js [--mib 200]
import http from 'node:http';
import net from 'node:net';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadUws } from '../src/http/fronts/uws-loader';

const MiB = 1024 * 1024;

async function client(port: number, total: number): Promise<void> {
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    agent: false,
    headers: { 'content-length': String(total) },
  });
  const done = new Promise<void>((resolve, reject) => {
    req.on('response', (res: http.IncomingMessage) => res.resume().on('end', resolve));
    req.on('error', reject);
  });
  const chunk = Buffer.alloc(256 * 1024, 'z');
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (!req.write(chunk.subarray(0, Math.min(chunk.length, total - sent)))) await once(req, 'drain');
  }
  req.end();
  await done;
}

function sink(total: number): void {
  const server = net.createServer((c) => {
    let n = 0;
    c.on('data', (d: Buffer) => {
      n += d.length;
      if (n >= total) c.end('done');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as net.AddressInfo).port));
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--mib');
  const total = (i >= 0 ? Number(process.argv[i + 1]) : 200) * MiB;
  const role = process.argv[2];
  if (role === 'client') return client(Number(process.argv[3]), total);
  if (role === 'sink') return sink(total);

  const { uws, version, source } = loadUws();
  const sinkProc = fork(__filename, ['sink', '--mib', String(total / MiB)]);
  const [sinkPort] = (await once(sinkProc, 'message')) as [number];
  let maxQueued = 0;
  let pauses = 0;
  const served = new Promise<void>((resolve) => {
    uws
      .App()
      .any('/*', (res) => {
        let done = false;
        let paused = false;
        res.onAborted(() => (done = true));
        const up = net.connect(sinkPort, '127.0.0.1');
        up.on('drain', () => {
          if (!paused || done) return;
          paused = false;
          res.resume();
        });
        up.on('data', () => {
          done = true;
          res.cork(() => res.end('ok'));
          up.destroy();
          resolve();
        });
        res.onData((ab) => {
          const ok = up.write(Buffer.from(new Uint8Array(ab)));
          maxQueued = Math.max(maxQueued, up.writableLength);
          if (ok || paused) return;
          paused = true;
          pauses++;
          res.pause();
        });
      })
      .listen('127.0.0.1', 0, (ls) => {
        if (ls === false) throw new Error('uWS could not listen');
        const port = uws.us_socket_local_port(ls);
        fork(__filename, ['client', String(port), '--mib', String(total / MiB)]);
      });
  });
  await served;
  sinkProc.kill();
  console.log(
    `uWS ${version} (${source}), Node ${process.version}: ${total / MiB} MiB upload, ` +
      `${pauses} pauses, at most ${(maxQueued / MiB).toFixed(1)} MiB queued for the sink`,
  );
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
