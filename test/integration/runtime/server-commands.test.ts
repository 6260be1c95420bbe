// Server commands through the socket change what every worker does within 100 ms, and the change
// survives a worker respawn (the primary's store re-sends it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { request, startServer } from '../../helpers/http-harness';
import { hasTool, netExchange, socat } from '../../helpers/stats-socket';

const send = hasTool('socat') ? socat : netExchange;

describe('server commands', () => {
  let sluice: StartedSluice;
  let sock: string;
  let dir: string;
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];

  before(async () => {
    for (const name of ['s1', 's2']) servers.push(await startServer((_req, res) => res.end(name)));
    dir = mkdtempSync(join(tmpdir(), 'sluice-rt-'));
    sock = join(dir, 'admin.sock');
    sluice = await startSluice(
      `global
    stats socket ${sock} level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${await freePort()}
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
    rmSync(dir, { recursive: true, force: true });
  });

  /** which servers answer 40 requests on fresh connections (spread over the workers) */
  async function answers(): Promise<Set<string>> {
    const rs = await Promise.all(Array.from({ length: 40 }, () => request(sluice.port('fe'))));
    return new Set(rs.map((r) => r.body.toString()));
  }

  it('maint / ready reach every worker within 100 ms', async () => {
    assert.deepEqual(await answers(), new Set(['s1', 's2']));
    assert.equal(await send(sock, 'set server be/s2 state maint'), '\n');
    await sleep(100);
    assert.deepEqual(await answers(), new Set(['s1']));
    assert.equal(await send(sock, 'enable server be/s2; disable server be/s1'), '\n\n');
    await sleep(100);
    assert.deepEqual(await answers(), new Set(['s2']));
    const stat = await send(sock, 'show stat be 4 -1');
    assert.match(stat, /^be,s1,(?:[^,]*,){15}MAINT,/m);
  });

  it('weights: set weight, get weight, relative weights and range checks', async () => {
    assert.equal(await send(sock, 'set weight be/s1 7'), '\n');
    assert.equal(await send(sock, 'get weight be/s1'), '7 (initial 1)\n\n');
    assert.equal(
      await send(sock, 'set server be/s1 weight 300'),
      'Absolute weight can only be between 0 and 256 inclusive.\n\n',
    );
    assert.equal(await send(sock, 'set server be/s1 weight 100%'), '\n');
    assert.equal(await send(sock, 'get weight be/s1'), '1 (initial 1)\n\n');
    assert.equal(
      await send(sock, 'set server be/s1 state sleepy'),
      "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n",
    );
  });

  it('a respawned worker gets the runtime state', async () => {
    // s1 is in maintenance since the first test
    const victim = sluice.proc.workerPids()[0];
    assert.ok(victim !== undefined);
    const from = sluice.proc.logs.length;
    process.kill(victim, 'SIGKILL');
    await sluice.proc.waitForMsg('worker respawned and listening', 15_000, from);
    assert.deepEqual(await answers(), new Set(['s2']));
    assert.equal(await send(sock, 'enable server be/s1'), '\n');
  });

  it('add server / del server with HAProxy preconditions and replies', async () => {
    const port = servers[0]?.port ?? 0;
    assert.equal(await send(sock, `add server be/s3 127.0.0.1:${port}`), 'New server registered.\n\n');
    assert.equal(
      await send(sock, `add server be/s3 127.0.0.1:${port}`),
      'Already exists a server with the same name in backend.\n\n',
    );
    assert.equal(await send(sock, `add server nope/s3 127.0.0.1:${port}`), 'No such backend.\n\n');
    assert.equal(
      await send(sock, 'del server be/s3'),
      'Only servers in maintenance mode can be deleted.\n\n',
    );
    assert.equal(await send(sock, 'disable server be/s3; del server be/s3'), '\nServer deleted.\n\n');
    assert.equal(await send(sock, 'get weight be/s3'), 'No such server.\n\n');
  });

  it('set maxconn and shutdown sessions answer quietly; bad values get a message', async () => {
    assert.equal(await send(sock, 'set maxconn server be/s1 10'), '\n');
    assert.equal(await send(sock, 'set maxconn global 0'), 'Value out of range.\n\n');
    assert.equal(await send(sock, 'set maxconn frontend nope 1'), 'No such frontend.\n\n');
    assert.equal(await send(sock, 'shutdown sessions server be/s1'), '\n');
    const stat = await send(sock, 'show stat be 4 1');
    assert.match(stat, /^be,s1,(?:[^,]*,){4}10,/m);
  });
});
