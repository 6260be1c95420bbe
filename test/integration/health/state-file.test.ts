// server-state-file end to end through the real CLI: states set over the stats socket are written
// by the primary on a graceful stop and applied by the next start before any worker serves.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startSluice, type StartedSluice } from '../../helpers/sluice-process';
import { hasTool, netExchange, socat } from '../../helpers/stats-socket';
import { BASE_DEFAULTS, spread, upstream, type Upstream } from './fixtures';

const send = hasTool('socat') ? socat : netExchange;

/** `show servers state` → "backend/server" → columns by name */
function serversState(text: string): Map<string, Record<string, string>> {
  const [version, header, ...rows] = text.split('\n').filter((l) => l !== '');
  assert.equal(version, '1');
  const cols = (header ?? '').replace(/^# /, '').split(' ');
  const out = new Map<string, Record<string, string>>();
  for (const r of rows) {
    const cells = r.split(' ');
    const row = Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
    out.set(`${row.be_name}/${row.srv_name}`, row);
  }
  return out;
}

describe('server-state-file across a graceful restart', () => {
  let dir: string;
  let s1: Upstream;
  let s2: Upstream;
  // every instance, so a failed assertion mid-test leaves none running
  const all: StartedSluice[] = [];
  const start = async (cfg: string): Promise<StartedSluice> => {
    const p = await startSluice(cfg, { workers: 2 });
    all.push(p);
    return p;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-statefile-'));
    s1 = await upstream('s1');
    s2 = await upstream('s2');
  });

  after(async () => {
    for (const p of all) await p.stop();
    await s1.close();
    await s2.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps s1 in MAINT at weight 30; only s2 gets traffic after the restart', async () => {
    const sock = join(dir, 'admin.sock');
    const stateFile = join(dir, 'servers.state');
    const cfg = `global
  stats socket ${sock} level admin
  server-state-base ${dir}
  server-state-file servers.state
${BASE_DEFAULTS}  load-server-state-from-file global
frontend fe
  bind 127.0.0.1:${await freePort()}
  default_backend be
backend be
  server s1 127.0.0.1:${s1.port} weight 10
  server s2 127.0.0.1:${s2.port} weight 10
`;
    const first = await start(cfg);
    // no file yet: a first start is normal, not an error
    assert.equal(existsSync(stateFile), false);
    const before = await spread(first.port('fe'), 20);
    assert.ok((before.get('s1') ?? 0) > 0, JSON.stringify([...before]));

    assert.equal(await send(sock, 'set server be/s1 state maint'), '\n');
    assert.equal(await send(sock, 'set server be/s1 weight 30'), '\n');
    assert.deepEqual(await first.stop(), { code: 0, signal: null });

    const written = serversState(readFileSync(stateFile, 'utf8'));
    assert.equal(written.get('be/s1')?.srv_admin_state, '1');
    assert.equal(written.get('be/s1')?.srv_uweight, '30');
    assert.equal(written.get('be/s2')?.srv_admin_state, '0');

    const second = await start(cfg);
    await second.proc.waitForLog((l) => l.msg.startsWith('server states loaded: 2 server(s) applied'));
    const state = serversState(await send(sock, 'show servers state'));
    assert.equal(state.get('be/s1')?.srv_admin_state, '1');
    assert.equal(state.get('be/s1')?.srv_uweight, '30');
    assert.equal(state.get('be/s1')?.srv_iweight, '10');
    assert.equal(state.get('be/s2')?.srv_admin_state, '0');
    assert.equal(await send(sock, 'get weight be/s1'), '30 (initial 10)\n\n');

    const hitsBefore = s1.hits;
    const after = await spread(second.port('fe'), 40);
    assert.deepEqual([...after], [['s2', 40]]);
    assert.equal(s1.hits, hitsBefore);
  });

  it('a corrupt state file is warned about and skipped: startup goes on', async () => {
    const stateFile = join(dir, 'broken.state');
    writeFileSync(stateFile, '1\n# header\nthis is not a state line\n3 be 1\n');
    const sluice = await start(
      `global
  server-state-file ${stateFile}
${BASE_DEFAULTS}  load-server-state-from-file global
frontend fe
  bind 127.0.0.1:${await freePort()}
  default_backend be
backend be
  server s1 127.0.0.1:${s1.port}
`,
    );
    const warned = await sluice.proc.waitForLog((l) => /line 3: corrupted line/.test(l.msg));
    assert.equal(warned.level, 'warn');
    const seen = await spread(sluice.port('fe'), 4);
    assert.deepEqual([...seen], [['s1', 4]]);
  });
});
