// The server-state file: what sluice writes parses back to the same states (round trip), bad
// lines are reported and skipped while the good ones apply, unknown servers are ignored, and
// HAProxy's precedence rules (configuration changes win) hold.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createServerStateStore,
  formatServersState,
  loadServerStates,
  parseStateFile,
  saveServerStates,
  type StateLine,
} from '../../../src/health';
import type { BackendModel, Model, ServerModel } from '../../../src/config/model';
import { backendModel, globalModel, model, serverModel } from '../../helpers/model';

const CHECK = {
  enabled: true,
  inter: 100,
  fastinter: 50,
  downinter: 200,
  rise: 2,
  fall: 3,
  port: null,
  addr: null,
};

function servers(over: Partial<ServerModel>[] = []): ServerModel[] {
  return [
    serverModel({ name: 's1', id: 1, port: 8001, weight: 10, check: CHECK, ...over[0] }),
    serverModel({ name: 's2', id: 2, port: 8002, weight: 10, ...over[1] }),
    serverModel({ name: 's3', id: 3, host: 'app.internal', port: 8003, ...over[2] }),
  ];
}

function setup(b: Partial<BackendModel> = {}, list = servers(), g = {}): Model {
  return model({
    global: globalModel({ serverStateFile: '/state', ...g }),
    backends: [backendModel({ name: 'be', id: 3, servers: list, loadServerState: 'global', ...b })],
  });
}

function quietLog(lines: string[]) {
  const push = (_o: unknown, msg: string) => void lines.push(msg);
  return { info: push, warn: push, error: push, debug: () => undefined } as never;
}

/** what sluice would write for this model after `mutate` steered its store */
function dump(m: Model, mutate: (st: ReturnType<typeof createServerStateStore>) => void): string {
  const st = createServerStateStore(m, { now: () => 50_000 });
  mutate(st);
  return formatServersState(st.list(), 60_000);
}

function loaded(m: Model, file: string) {
  const st = createServerStateStore(m, { now: () => 100_000 });
  const lines: string[] = [];
  const report = loadServerStates(m, st, quietLog(lines), () => file);
  return { st, lines, report };
}

describe('server state file', () => {
  test('round trip: admin state, weight, health and disabled checks come back', () => {
    const m = setup();
    const text = dump(m, (st) => {
      assert.equal(st.setAdmin('be', 's1', 'MAINT'), null);
      assert.equal(st.setWeight('be', 's1', 30), null);
      assert.equal(st.setAdmin('be', 's2', 'DRAIN'), null);
      assert.equal(st.setHealthEnabled('be', 's1', false), null);
    });
    const parsed = parseStateFile(text);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.version, 1);
    assert.equal(parsed.lines.length, 3);
    assert.equal(parsed.lines[0]?.secondsSinceChange, 10);

    const { st, report } = loaded(m, text);
    assert.deepEqual(report, { applied: ['be/s1', 'be/s2', 'be/s3'], unknown: [] });
    const s1 = st.find('be', 's1');
    assert.equal(s1?.admin, 'MAINT');
    assert.equal(s1?.weight, 30);
    assert.equal(s1?.checkEnabled, false);
    assert.equal(s1?.lastChange, 90_000);
    assert.equal(st.find('be', 's2')?.admin, 'DRAIN');
    assert.equal(st.find('be', 's3')?.admin, 'READY');
    // what was loaded dumps to the same lines, except the health of a server written UP: HAProxy
    // restores every UP server fully UP (rise+fall-1), sluice does the same
    const again = parseStateFile(formatServersState(st.list(), 100_000)).lines;
    const strip = (l: StateLine) => ({ ...l, checkHealth: 0 });
    assert.deepEqual(again.map(strip), parsed.lines.map(strip));
    assert.equal(again[0]?.checkHealth, CHECK.rise + CHECK.fall - 1);
  });

  test('malformed lines are reported and skipped; the good ones still apply', () => {
    const m = setup();
    const good = dump(m, (st) => void st.setWeight('be', 's2', 7)).split('\n');
    const s2 = good.find((l) => l.startsWith('3 be 2 s2 ')) ?? '';
    const file = [
      '1',
      '# header',
      '3 be 1 s1 127.0.0.1 2 1 5',
      '3 be 1 s1 127.0.0.1 9 1 5 10 0 14 3 4 6 0 0 0 - 8001 - 0 0 - - 0',
      '3 be 3 s3 127.0.0.1 2 0 abc 1 0 0 0 0 0 0 0 0 - 8003 - 0 0 - - 0',
      '',
      '   # a comment',
      s2,
      s2,
      '3 be 9 gone 127.0.0.1 2 1 1 1 0 0 0 0 0 0 0 0 - 8009 - 0 0 - - 0',
      '3 be 1 s1 127.0.0.1 2 1 5 10 0 14 3 4 6 0 0 0 - 8001 - 0 0 - - 0 extra',
      '',
    ].join('\n');
    const { st, lines, report } = loaded(m, file);
    assert.deepEqual(report, { applied: ['be/s2'], unknown: ['be/gone'] });
    assert.equal(st.find('be', 's2')?.weight, 7);
    assert.equal(st.find('be', 's1')?.admin, 'READY');
    assert.equal(st.find('be', 's3')?.weight, 1);
    const problems = lines.filter((l) => l.includes('line skipped'));
    assert.equal(problems.length, 5, lines.join('\n'));
    assert.match(problems[0] ?? '', /line 3: corrupted line \(8 fields/);
    assert.match(problems[1] ?? '', /line 4: server 'be\/s1': invalid srv_op_state value '9'/);
    assert.match(problems[2] ?? '', /line 5: .*invalid srv_uweight value 'abc'/);
    assert.match(problems[3] ?? '', /line 9: duplicate server 'be\/s2'/);
    assert.match(problems[4] ?? '', /line 11: corrupted line \(26 fields/);
  });

  test('no usable version, empty, truncated or missing file: nothing applied, startup goes on', () => {
    const m = setup();
    for (const text of ['', '2\n# x\n', 'garbage\n', '1']) {
      const { report, lines } = loaded(m, text);
      assert.deepEqual(report.applied, [], JSON.stringify(text));
      assert.ok(
        lines.some((l) => /empty|version/.test(l)),
        lines.join('\n'),
      );
    }
    const line = '3 be 2 s2 127.0.0.1 2 1 5 10 0 0 0 0 0 0 0 0 - 8002 - 0 0 - - 0';
    const cut = loaded(m, `1\n# h\n${line}\n${line.replace('s2', 's1').slice(0, 20)}`);
    assert.deepEqual(cut.report.applied, ['be/s2']);
    assert.ok(cut.lines.some((l) => /line 4: truncated line skipped/.test(l)));
    const st = createServerStateStore(m);
    const msgs: string[] = [];
    const missing = loadServerStates(m, st, quietLog(msgs), () => {
      throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    });
    assert.deepEqual(missing.applied, []);
    assert.match(msgs[0] ?? '', /Can't open server state file/);
  });

  test('configuration changes win: disabled, weight, IP address; a DOWN checked server starts DOWN', () => {
    // written while s1 was checked and DOWN, s2 at weight 30 over a configured 10, s3 moved
    const old = [
      '1',
      '# h',
      '3 be 1 s1 127.0.0.1 0 0 10 10 0 16 2 0 6 0 0 0 - 8001 - 0 0 - - 0',
      '3 be 2 s2 10.0.0.9 2 0 30 10 0 0 0 0 0 0 0 0 - 9999 - 0 0 - - 0',
      '3 be 3 s3 app2.internal 2 5 1 1 0 0 0 0 0 0 0 0 - 8013 - 0 0 - - 0',
      '',
    ].join('\n');
    const same = loaded(setup(), old).st;
    assert.equal(same.find('be', 's1')?.oper, 'DOWN');
    assert.equal(same.find('be', 's1')?.checkStatus, 'L7STS');
    assert.equal(same.find('be', 's2')?.weight, 30);
    // an IP in the configuration is kept; a name takes the file's address (HAProxy's init-addr last)
    assert.equal(same.find('be', 's2')?.host, '127.0.0.1');
    assert.equal(same.find('be', 's2')?.port, 8002);
    assert.equal(same.find('be', 's3')?.host, 'app2.internal');
    assert.equal(same.find('be', 's3')?.port, 8013);
    // s3 was `disabled` in the config that wrote the file (CMAINT|FMAINT) and no longer is
    assert.equal(same.find('be', 's3')?.admin, 'READY');

    const edited = setup({}, servers([{}, { weight: 20 }, { disabled: true }]));
    const st = loaded(edited, old).st;
    assert.equal(st.find('be', 's2')?.weight, 20);
    // `disabled` now, not when written: the configuration wins
    assert.equal(st.find('be', 's3')?.admin, 'MAINT');
    // disabled in both, but enabled by hand before the stop (CMAINT without FMAINT): stays enabled
    const readied = loaded(edited, old.replace('app2.internal 2 5', 'app2.internal 2 4')).st;
    assert.equal(readied.find('be', 's3')?.admin, 'READY');
  });

  test('load-server-state-from-file: none ignores the file, local reads <base>/<backend name>', () => {
    const text = '1\n# h\n3 be 2 s2 127.0.0.1 2 1 5 10 0 0 0 0 0 0 0 0 - 8002 - 0 0 - - 0\n';
    assert.deepEqual(loaded(setup({ loadServerState: 'none' }), text).report.applied, []);
    const m = setup({ loadServerState: 'local' }, servers(), { serverStateBase: '/states' });
    const st = createServerStateStore(m);
    const asked: string[] = [];
    loadServerStates(m, st, undefined, (p) => {
      asked.push(p);
      return text;
    });
    assert.deepEqual(asked, ['/states/be']);
    assert.equal(st.find('be', 's2')?.admin, 'MAINT');
    // a local file with another backend's lines: only a name (or forced id) match applies
    const other = loaded(m, text.replace(' be ', ' other ').replace(/^3 /m, '7 ')).report;
    assert.deepEqual(other.applied, []);
  });

  test('save writes the global file atomically and each local file with its backends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-state-'));
    try {
      const m = model({
        global: globalModel({ serverStateFile: join(dir, 'all'), serverStateBase: dir }),
        backends: [
          backendModel({ name: 'a', id: 1, servers: servers(), loadServerState: 'global' }),
          backendModel({ name: 'b', id: 2, servers: servers(), loadServerState: 'local' }),
          backendModel({
            name: 'c',
            id: 3,
            servers: servers(),
            loadServerState: 'local',
            serverStateFileName: 'b',
          }),
        ],
      });
      const st = createServerStateStore(m);
      st.setAdmin('c', 's1', 'MAINT');
      writeFileSync(join(dir, 'all'), 'old');
      const written = saveServerStates(m, st);
      assert.deepEqual(written.sort(), [join(dir, 'all'), join(dir, 'b')]);
      assert.deepEqual(readdirSync(dir).sort(), ['all', 'b']);
      const all = parseStateFile(readFileSync(join(dir, 'all'), 'utf8'));
      assert.equal(all.lines.length, 9);
      const b = parseStateFile(readFileSync(join(dir, 'b'), 'utf8'));
      assert.deepEqual(
        b.lines.map((l) => `${l.beName}/${l.srvName}:${l.admin}`),
        ['b/s1:0', 'b/s2:0', 'b/s3:0', 'c/s1:1', 'c/s2:0', 'c/s3:0'],
      );
      // an unwritable path is logged, not thrown
      const msgs: string[] = [];
      const bad = model({ global: globalModel({ serverStateFile: join(dir, 'no', 'such') }), backends: [] });
      assert.deepEqual(saveServerStates(bad, createServerStateStore(bad), quietLog(msgs)), []);
      assert.match(msgs[0] ?? '', /can't write server state file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
