// `sluice cli`: one command, --json, and the interactive prompt, against a running instance.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, SLUICE_CLI, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';

function cli(
  args: readonly string[],
  stdin = '',
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [SLUICE_CLI, 'cli', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`sluice cli timed out: ${out}`));
    }, 10_000);
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    p.stdin.end(stdin);
  });
}

describe('sluice cli', () => {
  let sluice: StartedSluice;
  let dir: string;
  let sock: string;
  let tcp: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
    sock = join(dir, 's.sock');
    tcp = `127.0.0.1:${await freePort()}`;
    sluice = await startSluice(
      `global
    stats socket ${sock} level admin
    stats socket ${tcp} level user
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:${await freePort()}
    default_backend be
backend be
    server s1 127.0.0.1:9
`,
      { workers: 2 },
    );
  });
  after(async () => {
    await sluice?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends one command and prints the reply as-is', async () => {
    const r = await cli([sock, 'show', 'backend']);
    assert.equal(r.code, 0);
    assert.equal(r.out, '# name\nbe\n\n');
    const t = await cli([tcp, 'get weight be/s1; show backend']);
    assert.equal(t.out, '1 (initial 1)\n\n# name\nbe\n\n');
  });

  it('--json asks for JSON where the command has it', async () => {
    const r = await cli([sock, '--json', 'show', 'info']);
    const info = JSON.parse(r.out) as { field: { name: string }; value: { value: unknown } }[];
    assert.equal(info.find((f) => f.field.name === 'Name')?.value.value, 'sluice');
  });

  it('interactive mode reads commands from stdin until EOF', async () => {
    const r = await cli([sock], 'show backend\nget weight be/s1\n');
    assert.equal(r.code, 0);
    assert.equal(r.out, '\n> # name\nbe\n\n> 1 (initial 1)\n\n> ');
  });

  it('reports an unreachable socket', async () => {
    const r = await cli([join(dir, 'missing.sock'), 'show info']);
    assert.equal(r.code, 1);
    assert.match(r.err, /ENOENT/);
  });
});
