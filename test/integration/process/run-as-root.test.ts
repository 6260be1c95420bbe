// Started as root without `user`, sluice refuses to start (one ALERT from the primary, before any
// worker is forked) unless told `insecure-run-as-root` (global keyword) or `--insecure-run-as-root`;
// with `user`/`group`, workers drop to them. These tests need root (CI runs as root) and skip
// otherwise; the decision itself is unit-tested for every uid (test/unit/primary/run-as-root).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { freePort, runSluice, startSluice, writeConfig } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { answeringListen, DEFAULTS, get } from './fixtures';

const IS_ROOT = process.getuid?.() === 0;
const SKIP = IS_ROOT ? false : 'needs root (uid 0): these tests check what sluice does when root starts it';

/** Node refuses setgid() when it links a libuv that may use io_uring (Debian trixie's own nodejs
 *  20): no Node process can change credentials there, sluice's workers included. */
function credentialsSkip(): string | false {
  try {
    process.setgid?.(process.getgid?.() ?? 0);
    return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_INVALID_STATE') return false;
    return `this Node.js build (${process.version}, libuv ${process.versions.uv}) refuses setgid(): ${(err as Error).message}`;
  }
}

/** the uid (real, effective, saved, fs) line of /proc/<pid>/status, e.g. [65534, 65534, 65534, 65534] */
function ids(pid: number, field: 'Uid' | 'Gid' | 'Groups'): number[] {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m !== null, `${field} of ${pid}`);
  return (m[1] as string).trim().split(/\s+/).map(Number);
}

const ROOT_WARNING = /running as root/;

describe('sluice started as root', { skip: SKIP }, () => {
  const running: StartedSluice[] = [];
  const cleanups: (() => void)[] = [];
  after(() => {
    for (const s of running) s.proc.kill();
    for (const c of cleanups) c();
  });

  async function plain(prefix = ''): Promise<{ port: number; file: string }> {
    const port = await freePort();
    const cfg = writeConfig(`${prefix}${DEFAULTS}${answeringListen('web', port, 'up')}`);
    cleanups.push(cfg.cleanup);
    return { port, file: cfg.file };
  }

  it('refuses to start without user or an opt-in: exit 1, one ALERT saying what to do, no worker', async () => {
    const { file } = await plain();
    const r = await runSluice(['-w', '2', '-f', file], { insecureRunAsRoot: false });
    assert.equal(r.code, 1, r.stderr);
    const alerts = r.stderr.split('\n').filter((l) => l.startsWith('[ALERT]'));
    assert.equal(alerts.length, 1, r.stderr);
    assert.match(
      alerts[0] as string,
      /^\[ALERT\] +\(\d+\) : running as root without 'user' .*Refusing to start\. Set 'user' and 'group' in the global section .*'insecure-run-as-root' in the global section or '--insecure-run-as-root' on the command line\.$/,
    );
    // the primary stopped before its logger, the bind probe or any fork: not one log line
    assert.equal(r.stdout, '');
  });

  it('starts with the global keyword insecure-run-as-root, and warns once', async () => {
    const { port, file } = await plain('global\n    insecure-run-as-root\n');
    const s = await startSluice(readFileSync(file, 'utf8'), { insecureRunAsRoot: false });
    running.push(s);
    assert.deepEqual(await get(port), { status: 200, body: 'up' });
    const warnings = s.proc.logs.filter((l) => ROOT_WARNING.test(l.msg));
    assert.equal(warnings.length, 1, s.proc.describe());
    assert.deepEqual([warnings[0]?.level, warnings[0]?.pid], ['warn', s.proc.pid]);
    assert.equal((await s.stop()).code, 0);
  });

  it('starts with --insecure-run-as-root on a plain HAProxy config, and warns once', async () => {
    const { port, file } = await plain();
    const s = await startSluice(readFileSync(file, 'utf8'), {
      args: ['--insecure-run-as-root'],
      insecureRunAsRoot: false,
    });
    running.push(s);
    assert.deepEqual(await get(port), { status: 200, body: 'up' });
    assert.equal(s.proc.logs.filter((l) => ROOT_WARNING.test(l.msg)).length, 1, s.proc.describe());
    assert.equal((await s.stop()).code, 0);
  });

  it('starts with user and group, and its workers run as them', { skip: credentialsSkip() }, async () => {
    const { port, file } = await plain('global\n    user nobody\n    group nogroup\n');
    const s = await startSluice(readFileSync(file, 'utf8'), { insecureRunAsRoot: false });
    running.push(s);
    assert.deepEqual(await get(port), { status: 200, body: 'up' });
    const pids = s.started.pids as number[];
    assert.equal(pids.length, 2);
    for (const pid of pids) {
      assert.deepEqual(ids(pid, 'Uid'), [65534, 65534, 65534, 65534]);
      assert.deepEqual(ids(pid, 'Gid'), [65534, 65534, 65534, 65534]);
      assert.deepEqual(ids(pid, 'Groups'), [65534]);
    }
    // the primary keeps root: it never touches client traffic, and respawns need it to bind
    assert.equal(ids(s.proc.pid, 'Uid')[1], 0);
    assert.equal(s.proc.logs.filter((l) => ROOT_WARNING.test(l.msg)).length, 0);
    assert.equal((await s.stop()).code, 0);
  });

  it('group alone is not enough: workers would keep uid 0', async () => {
    const { file } = await plain('global\n    group nogroup\n');
    const r = await runSluice(['-f', file], { insecureRunAsRoot: false });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[ALERT\].*running as root without 'user'/);
  });

  it('-c on such a config: valid (exit 0) with a WARNING; nothing with the keyword or the flag', async () => {
    const { file } = await plain();
    const r = await runSluice(['-c', '-f', file], { insecureRunAsRoot: false });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Configuration file is valid');
    assert.match(
      r.stderr,
      /^\[WARNING\] +\(\d+\) : config : running as root without 'user' .*Starting it like this would be refused\. Set 'user' and 'group'/,
    );
    const flag = await runSluice(['-c', '--insecure-run-as-root', '-f', file], { insecureRunAsRoot: false });
    assert.deepEqual([flag.code, flag.stderr], [0, '']);
    const opted = await plain('global\n    insecure-run-as-root\n');
    const kw = await runSluice(['-c', '-f', opted.file], { insecureRunAsRoot: false });
    assert.deepEqual([kw.code, kw.stderr], [0, '']);
  });
});
