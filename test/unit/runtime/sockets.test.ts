// StatsSockets on its own: a stale socket file from a crashed run is replaced, a live one is not
// taken over, and `;`-splitting follows HAProxy's escapes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandRegistry, splitLine } from '../../../src/runtime';
import type { RuntimeServices } from '../../../src/runtime';
import { StatsSockets } from '../../../src/runtime/server';
import { registerBuiltins } from '../../../src/runtime/commands';
import { netExchange } from '../../helpers/stats-socket';
import type { StatsSocketModel } from '../../../src/config/model';

const dir = mkdtempSync(join(tmpdir(), 'sluice-sock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sockModel(path: string): StatsSocketModel {
  return {
    kind: 'unix',
    path,
    host: null,
    port: null,
    mode: null,
    level: 'user',
    origin: { file: 't', line: 1 },
  };
}

function services(registry: CommandRegistry): RuntimeServices {
  // only what `help` and `show backend` read
  const fake = { registry, model: { backends: [{ name: 'be' }] }, log: { error: () => undefined } };
  return fake as unknown as RuntimeServices;
}

/** a unix socket file whose listener was SIGKILLed: nothing answers on it any more */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => process.stdout.write('up'))`,
  ]);
  await new Promise<void>((r) => child.stdout.once('data', () => r()));
  child.kill('SIGKILL');
  await new Promise<void>((r) => child.once('exit', () => r()));
  assert.ok(existsSync(path));
}

describe('stats socket files', () => {
  it('replaces a stale socket and applies mode 0600', async () => {
    const path = join(dir, 'stale.sock');
    await staleSocket(path);
    const registry = new CommandRegistry();
    registerBuiltins(registry);
    const s = new StatsSockets(registry, services(registry));
    await s.open([sockModel(path)], 1000);
    try {
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(await netExchange(path, 'show backend\n'), '# name\nbe\n\n');
    } finally {
      s.close();
    }
    assert.equal(existsSync(path), false);
  });

  it('refuses a socket path another live process answers on', async () => {
    const path = join(dir, 'live.sock');
    const other = createServer();
    await new Promise<void>((r) => other.listen(path, r));
    const registry = new CommandRegistry();
    const s = new StatsSockets(registry, services(registry));
    await assert.rejects(s.open([sockModel(path)], 1000), /in use by another running process/);
    s.close();
    await new Promise<void>((r) => other.close(() => r()));
  });
});

describe('command line splitting', () => {
  it('splits on ; and blanks, with backslash escapes', () => {
    assert.deepEqual(splitLine('show info;show  stat'), [
      ['show', 'info'],
      ['show', 'stat'],
    ]);
    assert.deepEqual(splitLine('set a\\;b c\\ d'), [['set', 'a;b', 'c d']]);
    assert.deepEqual(splitLine(' ; ;'), []);
  });
});
