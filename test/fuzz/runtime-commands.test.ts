// fast-check fuzzing of the runtime API's input path: splitLine (';' commands, words, backslash
// escapes) and every registered command's argument handling at level admin. Nothing may throw,
// and no command may fall into the registry's "Internal error" catch-all: bad arguments get a
// proper reply. In-process, no workers (statistics are then empty sums). Bounded by FUZZ_RUNS.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzz';
import pino from 'pino';
import { compileText } from '../../src/config/load';
import { ServerStateStoreImpl } from '../../src/health';
import { Runtime, splitLine } from '../../src/runtime';

const RUNS = fuzzRuns(2000);

const CONFIG = `
global
    maxconn 100
defaults
    mode http
    timeout connect 1s
    timeout client 1s
    timeout server 1s
frontend fe
    bind 127.0.0.1:0
    default_backend be
backend be
    server s1 127.0.0.1:1 weight 10 maxconn 5
    server s2 127.0.0.1:2
`;

const compiled = compileText(CONFIG, 'fuzz.cfg', {});
assert.ok(compiled.model, 'fixture config compiles');
const store = new ServerStateStoreImpl(compiled.model);
const rt = new Runtime({
  model: compiled.model,
  log: pino({ level: 'silent' }),
  generation: 1,
  version: 'fuzz',
  workers: () => [],
  store: () => store,
});
after(() => rt.close());

/** Escapes a word so splitLine reads it back as exactly this word. */
const escape = (w: string): string => w.replace(/[\\; \t]/g, (c) => `\\${c}`);

test('splitLine: never throws, no empty command or word, escaped words round-trip', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (line) => {
      for (const cmd of splitLine(line)) assert.ok(cmd.length > 0);
    }),
    { numRuns: RUNS },
  );
  const word = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 });
  fc.assert(
    fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 5 }), { maxLength: 5 }), (cmds) => {
      const line = cmds.map((ws) => ws.map(escape).join(' ')).join(';');
      assert.deepEqual(splitLine(line), cmds);
    }),
    { numRuns: RUNS },
  );
});

// Keyword words of every registered command, read from its `help` usage line (the words before
// the first placeholder), so runs reach the argument parsers and not only "Unknown command".
const KEYWORDS: readonly (readonly string[])[] = rt.registry
  .help('admin')
  .split('\n')
  .slice(1)
  .map((l) => l.split(' : ')[0]?.trim().split(/\s+/) ?? [])
  .map((ws) => {
    const i = ws.findIndex((w) => /[[<{|]/.test(w));
    return i < 0 ? ws : ws.slice(0, i);
  })
  .filter((ws) => ws.length > 0 && ws[0] !== '' && ws[0] !== 'quit');

const ARG = fc.oneof(
  fc.constantFrom(
    'be',
    'be/s1',
    'be/s2',
    'be/nope',
    'fe',
    '/',
    'be/',
    '/s1',
    'state',
    'ready',
    'drain',
    'maint',
    'weight',
    'addr',
    'port',
    'agent',
    'health',
    'up',
    'down',
    '50%',
    '0',
    '-1',
    '256',
    '1e400',
    'NaN',
    '0x10',
    '127.0.0.1',
    '127.0.0.1:80',
    '::1',
    '[::1]:80',
    'json',
    'typed',
    'all',
    '-1 4 -1',
    '1',
    '2',
    '4',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

async function runCommand(words: readonly string[]): Promise<string> {
  const out = await rt.registry.run(words, 'admin', rt.services);
  assert.equal(typeof out, 'string');
  assert.doesNotMatch(out, /^Internal error/m, `${JSON.stringify(words)} → ${out}`);
  return out;
}

/** inputs that once made a command throw stay here as regression cases */
const SEEDS: readonly (readonly string[])[] = [];

test('every command answers arbitrary arguments without throwing', async () => {
  const names = KEYWORDS.map((k) => k.join(' '));
  for (const k of ['show stat', 'set server', 'add server', 'set maxconn global']) {
    assert.ok(names.includes(k), `'${k}' not found in help: ${names.join(', ')}`);
  }
  for (const s of SEEDS) await runCommand(s);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...KEYWORDS), fc.array(ARG, { maxLength: 8 }), async (kw, args) => {
      await runCommand([...kw, ...args]);
    }),
    { numRuns: RUNS },
  );
});

test('arbitrary lines through splitLine and the registry never throw', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 120 }), async (line) => {
      for (const words of splitLine(line)) await runCommand(words);
    }),
    { numRuns: Math.min(RUNS, 500) },
  );
});
