// The stats socket as operators use it: socat (or a plain client) against the running primary
// with 4 workers; levels, socket modes, wire protocol, exact aggregation, bad input.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { request, startServer } from '../../helpers/http-harness';
import { findRow, hasTool, netExchange, parseCsv, socat } from '../../helpers/stats-socket';

const SOCAT = hasTool('socat');
const skip = SOCAT ? false : 'socat is not installed (apt-get install socat)';

describe('stats socket', () => {
  let sluice: StartedSluice;
  let admin: string;
  let user: string;
  let tcp: string;
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];

  before(async () => {
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startServer((req, res) => {
          let n = 0;
          req.on('data', (d: Buffer) => (n += d.length));
          req.on('end', () => res.end(`got ${n} from s${i}`));
        }),
      );
    }
    const tcpPort = await freePort();
    const fePort = await freePort();
    const dir = `/tmp/sluice-rt-${process.pid}`;
    admin = join(dir, 'admin.sock');
    user = join(dir, 'user.sock');
    tcp = `127.0.0.1:${tcpPort}`;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    sluice = await startSluice(
      `global
    stats socket ${admin} level admin
    stats socket ${user} mode 640 level user
    stats socket ipv4@${tcp} level operator
    stats timeout 5s
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${fePort}
    default_backend be
backend be
    server s1 127.0.0.1:${servers[0]?.port ?? 0}
    server s2 127.0.0.1:${servers[1]?.port ?? 0}
`,
      { workers: 4 },
    );
  });

  after(async () => {
    await sluice?.stop();
    for (const s of servers) await s.close();
  });

  it('creates the socket files with the configured mode (0600 by default)', () => {
    assert.equal(statSync(admin).mode & 0o777, 0o600);
    assert.equal(statSync(user).mode & 0o777, 0o640);
    assert.ok(statSync(admin).isSocket());
  });

  it('sums counters over 4 workers exactly', { skip }, async () => {
    const N = 200;
    let sent = 0;
    let received = 0;
    const port = sluice.port('fe');
    for (let batch = 0; batch < N; batch += 20) {
      const rs = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const body = 'x'.repeat((batch + i) % 50);
          sent += body.length;
          return request(port, { method: 'POST', path: '/', body });
        }),
      );
      for (const r of rs) {
        assert.equal(r.status, 200);
        received += r.body.length;
      }
    }
    const rows = parseCsv(await socat(admin, 'show stat'));
    const fe = findRow(rows, 'fe', 'FRONTEND');
    const be = findRow(rows, 'be', 'BACKEND');
    for (const r of [fe, be]) {
      assert.equal(Number(r.stot), N);
      assert.equal(Number(r.req_tot), N);
      assert.equal(Number(r.hrsp_2xx), N);
      assert.equal(Number(r.bin), sent);
      assert.equal(Number(r.bout), received);
    }
    const s1 = findRow(rows, 'be', 's1');
    const s2 = findRow(rows, 'be', 's2');
    assert.equal(Number(s1.stot) + Number(s2.stot), N);
    assert.equal(Number(s1.bin) + Number(s2.bin), sent);
    const info = await socat(tcp, 'show info');
    assert.match(info, /^Name: sluice$/m);
    assert.match(info, new RegExp(`^CumReq: ${N}$`, 'm'));
    assert.match(info, /^Nbthread: 4$/m);
  });

  it('keeps the column order of HAProxy and ends every reply with an empty line', { skip }, async () => {
    const out = await socat(user, 'show stat');
    assert.ok(out.startsWith('# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,'));
    assert.ok(out.endsWith('\n\n'));
    const header = (out.split('\n')[0] ?? '').split(',');
    assert.equal(header[17], 'status');
    assert.equal(header[48], 'req_tot');
    assert.equal(header[61], 'ttime');
    for (const line of out.split('\n').slice(1, -2))
      assert.equal(line.split(',').length, header.length, line);
  });

  it('runs ;-separated commands, each reply ending with an empty line', { skip }, async () => {
    const out = await socat(admin, 'show backend; get weight be/s1');
    assert.equal(out, '# name\nbe\n\n1 (initial 1)\n\n');
  });

  it(
    'refuses commands above the connection level, and help lists only what the level may run',
    { skip },
    async () => {
      assert.equal(await socat(user, 'set weight be/s1 10'), 'Permission denied\n\n');
      assert.equal(await socat(tcp, 'disable server be/s1'), 'Permission denied\n\n');
      assert.equal(await socat(tcp, 'clear counters all'), 'Permission denied\n\n');
      const help = await socat(user, 'help');
      assert.match(help, /show stat/);
      assert.doesNotMatch(help, /set weight|show env|clear counters/);
      const adminHelp = await socat(admin, 'help');
      assert.match(adminHelp, /set weight/);
      assert.match(adminHelp, /clear counters/);
    },
  );

  it('answers unknown commands and bad arguments with a message, not a crash', { skip }, async () => {
    assert.match(
      await socat(admin, 'frobnicate now'),
      /^Unknown command: 'frobnicate now'\n\nThe following commands/,
    );
    assert.equal(await socat(admin, 'get weight nope'), "Require 'backend/server'.\n\n");
    assert.equal(await socat(admin, 'get weight nobe/s1'), 'No such backend.\n\n');
    assert.equal(await socat(admin, 'get weight be/nos'), 'No such server.\n\n');
    assert.equal(await socat(admin, 'show stat nope -1 -1'), 'No such proxy.\n\n');
    assert.equal(await socat(admin, 'show env SLUICE_SURELY_UNSET_VAR'), 'Variable not found\n\n');
    assert.equal(await socat(admin, 'show servers state nope'), "Can't find backend.\n\n");
  });

  it('interactive mode: prompt, several commands, quit', { skip }, async () => {
    const out = await socat(admin, 'prompt\nshow backend\nget weight be/s2\nquit\n');
    assert.equal(out, '\n> # name\nbe\n\n> 1 (initial 1)\n\n> ');
  });

  it('survives a huge line, a client that never reads and 1000 concurrent clients', async () => {
    const huge = await netExchange(admin, 'show info ' + 'A'.repeat(200_000) + '\n');
    assert.match(huge, /Command line too long/);
    // a client that asks for a lot and never reads: the primary must stay responsive
    const greedy = connect(admin);
    greedy.on('error', () => undefined);
    await new Promise<void>((r) => greedy.on('connect', () => r()));
    greedy.write('prompt\n' + 'show stat\n'.repeat(2000));
    greedy.pause();
    const replies = await Promise.all(
      Array.from({ length: 1000 }, () => netExchange(tcp, 'show backend\n', 30_000)),
    );
    for (const r of replies) assert.equal(r, '# name\nbe\n\n');
    greedy.destroy();
    const r = await request(sluice.port('fe'));
    assert.equal(r.status, 200);
  });

  it('clear counters all resets every counter', { skip }, async () => {
    await request(sluice.port('fe'));
    assert.equal(await socat(admin, 'clear counters all'), '\n');
    const rows = parseCsv(await socat(admin, 'show stat'));
    assert.equal(findRow(rows, 'fe', 'FRONTEND').stot, '0');
    assert.equal(findRow(rows, 'be', 's1').stot, '0');
  });

  it('show info json / show stat json / typed parse', { skip }, async () => {
    const info = JSON.parse(await socat(admin, 'show info json')) as { field: { name: string } }[];
    assert.equal(info[0]?.field.name, 'Name');
    const stat = JSON.parse(await socat(admin, 'show stat json')) as unknown[][];
    assert.ok(stat.length >= 4);
    const typed = await socat(admin, 'show stat typed');
    assert.match(typed, /^F\.\d+\.0\.0\.pxname\.1:MOP:str:fe$/m);
    const pools = await socat(admin, 'show pools');
    assert.match(pools, /worker 3 pid=\d+: rss=\d+/);
  });

  it('removes the socket files on exit', async () => {
    await sluice.stop();
    assert.equal(existsSync(admin), false);
    assert.equal(existsSync(user), false);
  });
});
