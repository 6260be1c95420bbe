import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_WORKERS, parseArgs } from '../../../src/cli/args';
import type { CliOptions } from '../../../src/cli/args';

function ok(argv: string[]): CliOptions {
  const r = parseArgs(argv);
  if (!r.ok) assert.fail(`expected ${JSON.stringify(argv)} to parse, got: ${r.error}`);
  return r.options;
}

function err(argv: string[]): string {
  const r = parseArgs(argv);
  if (r.ok) assert.fail(`expected ${JSON.stringify(argv)} to be rejected`);
  return r.error;
}

describe('cli args', () => {
  it('runs with one config file and defaults for everything else', () => {
    assert.deepEqual(ok(['-f', 'a.cfg']), {
      command: 'run',
      files: ['a.cfg'],
      verbosity: 0,
      workers: null,
      debug: false,
      quiet: false,
      insecureRunAsRoot: false,
    });
  });

  it('keeps repeated -f in command-line order, then files after --', () => {
    assert.deepEqual(ok(['-f', 'b.cfg', '-f', 'conf.d', '--', 'x.cfg', '-c']).files, [
      'b.cfg',
      'conf.d',
      'x.cfg',
      '-c',
    ]);
  });

  it('-c selects check mode and -q makes it quiet', () => {
    const o = ok(['-c', '-q', '-f', 'a.cfg']);
    assert.equal(o.command, 'check');
    assert.equal(o.quiet, true);
  });

  it('requires a config file to run or check', () => {
    assert.match(err([]), /no configuration file/);
    assert.match(err(['-c']), /no configuration file/);
    assert.match(err(['-d', '-w', '2']), /no configuration file/);
  });

  it('-v, --version and -vv need no config file', () => {
    assert.deepEqual([ok(['-v']).command, ok(['-v']).verbosity], ['version', 1]);
    assert.equal(ok(['--version']).verbosity, 1);
    assert.equal(ok(['-vv']).verbosity, 2);
    assert.equal(ok(['-vv', '-v']).verbosity, 2);
    assert.equal(ok(['-c', '-f', 'a.cfg', '-v']).command, 'version');
  });

  it('-h and --help win over everything', () => {
    assert.equal(ok(['-h']).command, 'help');
    assert.equal(ok(['--help', '-v', '-c']).command, 'help');
  });

  it('-w takes a worker count within bounds', () => {
    assert.equal(ok(['-w', '3', '-f', 'a.cfg']).workers, 3);
    assert.equal(ok(['-w', String(MAX_WORKERS), '-f', 'a.cfg']).workers, MAX_WORKERS);
    assert.match(err(['-w', '0', '-f', 'a.cfg']), /invalid worker count '0'/);
    assert.match(err(['-w', String(MAX_WORKERS + 1), '-f', 'a.cfg']), /invalid worker count/);
    assert.match(err(['-w', '2x', '-f', 'a.cfg']), /invalid worker count '2x'/);
    assert.match(err(['-w', '-1', '-f', 'a.cfg']), /invalid worker count '-1'/);
    assert.match(err(['-f', 'a.cfg', '-w']), /requires a number/);
  });

  it('-f needs its argument', () => {
    assert.match(err(['-f']), /'-f' requires a file/);
    assert.match(err(['-f', '']), /'-f' requires a file/);
  });

  it('-d turns debug logging on', () => {
    assert.equal(ok(['-d', '-f', 'a.cfg']).debug, true);
  });

  it('--insecure-run-as-root is an opt-in for running and for checking', () => {
    assert.equal(ok(['--insecure-run-as-root', '-f', 'a.cfg']).insecureRunAsRoot, true);
    assert.equal(ok(['-c', '-f', 'a.cfg', '--insecure-run-as-root']).insecureRunAsRoot, true);
    // only the long form: a typo must not pass for it
    assert.match(err(['--insecure-run-as-roo', '-f', 'a.cfg']), /unknown option '--insecure-run-as-roo'/);
  });

  it('rejects unknown options, naming them', () => {
    assert.match(err(['-f', 'a.cfg', '-x']), /unknown option '-x'/);
    assert.match(err(['--frobnicate']), /unknown option '--frobnicate'/);
    assert.match(err(['a.cfg']), /unknown option 'a.cfg'/);
    // haproxy has no attached form: "-fa.cfg" is not "-f a.cfg"
    assert.match(err(['-fa.cfg']), /unknown option '-fa.cfg'/);
  });
});
