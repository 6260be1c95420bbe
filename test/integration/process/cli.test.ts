// The command line as users meet it: version, help, usage errors and `-c`.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSluice, writeConfig } from '../../helpers/sluice-process';

const VALID = `
global
    maxconn 100

defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s

listen web
    bind 127.0.0.1:1
    http-request return status 200 content-type text/plain string "ok"
`;

const INVALID = `
defaults
    mode http
    timout client 5s

frontend fe
    bind 127.0.0.1:1
    default_backend nowhere
`;

describe('sluice command line', () => {
  const cleanups: (() => void)[] = [];
  after(() => cleanups.forEach((c) => c()));

  function config(text: string): string {
    const c = writeConfig(text);
    cleanups.push(c.cleanup);
    return c.file;
  }

  it('-v names the version, the uWebSockets.js build (or its absence) and Node', async () => {
    for (const flag of ['-v', '--version']) {
      const r = await runSluice([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^sluice version \d+\.\d+\.\d+\S* \(uWebSockets\.js (\S+ \d+\.\d+|unavailable)\), Node v\d+\.\d+\.\d+$/,
      );
    }
  });

  it('-vv adds build details', async () => {
    const r = await runSluice(['-vv']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^sluice version /);
    assert.match(r.stdout, /\nRunning on: \w+-\w+, Node ABI \d+/);
  });

  it('-h prints the usage on stdout and succeeds', async () => {
    const r = await runSluice(['-h']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: sluice /);
  });

  it('an unknown option is a usage error (exit 2) naming the option', async () => {
    const r = await runSluice(['-f', 'x.cfg', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--bogus'/);
    assert.match(r.stderr, /Usage: sluice /);
  });

  it('no -f is a usage error', async () => {
    const r = await runSluice([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no configuration file/);
  });

  it('-c on a valid config exits 0 and says so on stdout', async () => {
    const r = await runSluice(['-c', '-f', config(VALID)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Configuration file is valid');
    assert.doesNotMatch(r.stderr, /\[ALERT\]/);
  });

  it('-c on an invalid config exits 1 and lists every alert haproxy-style on stderr', async () => {
    const file = config(INVALID);
    const r = await runSluice(['-c', '-f', file]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /valid/);
    assert.match(
      r.stderr,
      new RegExp(`\\[ALERT\\] +\\(\\d+\\) : config : parsing \\[${escape(file)}:4\\] : .*timout`),
    );
    assert.match(r.stderr, /nowhere/);
  });

  it('-c resolves server names as haproxy -c does: one nothing resolves makes the config invalid', async () => {
    // RFC 6761: `.invalid` names never resolve; `localhost` always does
    const servers = (initAddr: string): string => `${VALID}
backend be
    server s1 nowhere.invalid:80${initAddr}
    server s2 localhost:80
`;
    const file = config(servers(''));
    const bad = await runSluice(['-c', '-f', file]);
    assert.equal(bad.code, 1, bad.stderr);
    assert.doesNotMatch(bad.stdout, /valid/);
    assert.match(
      bad.stderr,
      new RegExp(
        `\\[ALERT\\] +\\(\\d+\\) : config : parsing \\[${escape(file)}:\\d+\\] : 'server s1' : could not resolve address 'nowhere\\.invalid'\\.\\n`,
      ),
    );
    assert.match(bad.stderr, /: config : Failed to initialize server\(s\) addr\.\n/);
    assert.doesNotMatch(bad.stderr, /'server s2'/);
    // a fallback in init-addr (here: start in maintenance) makes it startable again, with the
    // warning haproxy -c prints
    const good = await runSluice(['-c', '-f', config(servers(' init-addr libc,none'))]);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stdout.trim(), 'Configuration file is valid');
    assert.match(
      good.stderr,
      /\[WARNING\] +\(\d+\) : config : parsing \[\S+:\d+\] : 'server s1' : could not resolve address 'nowhere\.invalid', disabling server\.\n/,
    );
    assert.doesNotMatch(good.stderr, /\[ALERT\]/);
  });

  it('a configuration without a listener: -c says it would not start (exit 1), running it refuses', async () => {
    const backendOnly = `${VALID.replace(/listen web[^]*$/, '')}
backend be
    server s1 127.0.0.1:1
`;
    const file = config(backendOnly);
    const c = await runSluice(['-c', '-f', file]);
    // haproxy -c exits 2 here; sluice's -c keeps to 0 (would start) and 1 (would not)
    assert.equal(c.code, 1, c.stderr);
    assert.equal(c.stdout, '');
    assert.match(
      c.stderr,
      /\[ALERT\] +\(\d+\) : config : No enabled listener found \(check for 'bind' directives\)/,
    );
    const run = await runSluice(['-w', '1', '-f', file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /\[ALERT\] +\(\d+\) : \[sluice\.main\(\)\] No enabled listener found/);
    assert.doesNotMatch(run.stdout, /sluice started/);
    // a stats socket is a listener
    const withSocket = config(
      `global\n    stats socket ${join(tmpdir(), `sluice-nl-${process.pid}.sock`)}\n${backendOnly}`,
    );
    const ok = await runSluice(['-c', '-f', withSocket]);
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('-c -q prints nothing and only the exit code tells', async () => {
    const bad = await runSluice(['-c', '-q', '-f', config(INVALID)]);
    assert.deepEqual([bad.code, bad.stdout, bad.stderr], [1, '', '']);
    const good = await runSluice(['-c', '-q', '-f', config(VALID)]);
    assert.deepEqual([good.code, good.stdout, good.stderr], [0, '', '']);
  });

  it('running an invalid config never starts: the report goes to stderr and the exit is 1', async () => {
    const r = await runSluice(['-w', '1', '-f', config(INVALID)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[ALERT\]/);
    assert.doesNotMatch(r.stdout, /sluice started/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
