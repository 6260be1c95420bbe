// Start-up, pidfile, and graceful stop of the whole process tree.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { answeringListen, DEFAULTS, get, within } from './fixtures';

describe('sluice lifecycle', () => {
  const running: StartedSluice[] = [];
  const servers: http.Server[] = [];
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    for (const s of running) s.proc.kill();
    for (const s of servers) s.closeAllConnections();
    for (const s of servers) s.close();
  });

  it('logs "sluice started" once every worker listens, then SIGTERM stops it with exit 0 and no pidfile', async () => {
    const port = await freePort();
    const pidDir = mkdtempSync(join(tmpdir(), 'sluice-pid-'));
    dirs.push(pidDir);
    const pidfile = join(pidDir, 'sluice.pid');
    const s = await startSluice(
      `global\n    pidfile ${pidfile}\n${DEFAULTS}${answeringListen('web', port, 'hi')}`,
      {
        workers: 2,
      },
    );
    running.push(s);

    assert.equal(s.started.workers, 2);
    assert.equal(s.started.pid, s.proc.pid);
    assert.equal(typeof s.started.version, 'string');
    const pids = s.started.pids as number[];
    assert.equal(pids.length, 2);
    assert.ok(!pids.includes(s.proc.pid));
    assert.deepEqual(
      s.listeners.map((l) => [l.proxy, l.kind, l.address, l.port]),
      [['web', 'http', '127.0.0.1', port]],
    );
    assert.equal(s.proc.logs.filter((l) => l.msg === 'sluice started').length, 1);

    assert.equal(readFileSync(pidfile, 'utf8').trim(), String(s.proc.pid));
    assert.deepEqual(await get(port), { status: 200, body: 'hi' });

    const exit = await s.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(existsSync(pidfile), false, 'pidfile removed');
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} gone`);
  });

  it('a graceful stop lets in-flight requests finish, a chunked one to a keep-alive client intact', async () => {
    // two requests in flight: a content-length answer to a client that closes, and a chunked one
    // to a keep-alive client, told to close by the draining worker (the uWS front once wrote its
    // own Connection line into such a body)
    let arrivals = 0;
    let arrived: () => void = () => undefined;
    const bothArrived = new Promise<void>((r) => (arrived = r));
    const releases: (() => void)[] = [];
    const upstream = http.createServer((req, res) => {
      if (req.url === '/chunked') {
        releases.push(() => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('slow ');
          res.end('chunks');
        });
      } else {
        releases.push(() => res.end('slow answer'));
      }
      if (++arrivals === 2) arrived();
    });
    servers.push(upstream);
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    const port = await freePort();
    const s = await startSluice(
      `${DEFAULTS}
listen web
    bind 127.0.0.1:${port}
    server app 127.0.0.1:${upstreamPort}
`,
      { workers: 1 },
    );
    running.push(s);

    const reply = get(port);
    const agent = new http.Agent({ keepAlive: true });
    const chunked = new Promise<{ connection: string | undefined; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/chunked', agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ connection: res.headers.connection, body }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    await within(
      Promise.race([bothArrived, reply.then((r) => assert.fail(`answered before upstream: ${r.status}`))]),
      5000,
      'both requests upstream',
    );
    const from = s.proc.logs.length;
    s.proc.child.kill('SIGTERM');
    await s.proc.waitForMsg('worker stopping', undefined, from);
    // The listener is closed at once: a new client is refused while the old ones are still served.
    await assert.rejects(get(port), /ECONNREFUSED|ECONNRESET|socket hang up/);
    for (const release of releases) release();
    assert.deepEqual(await reply, { status: 200, body: 'slow answer' });
    assert.deepEqual(await within(chunked, 5000, 'the chunked answer'), {
      connection: 'close',
      body: 'slow chunks',
    });
    agent.destroy();
    assert.deepEqual(await s.proc.waitForExit(), { code: 0, signal: null });
  });
});
