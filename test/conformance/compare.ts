// Generates docs/conformance.md: the malformed-HTTP/1 table run against sluice (both fronts) and
// the installed HAProxy and nginx as reference oracles, each in front of the same recording
// backend. Not part of `npm test`. Run: npx tsc -p . && node dist/test/conformance/compare.js
// `--record <file>` runs only the uWS column and saves it; `--with <file>` adds such a column,
// recorded where another uWS build loads (scripts/trixie.sh runs sluice with uWS 20.57).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxy } from '../helpers/http-harness';
import { loadUws, uwsAvailable } from '../../src/http/fronts/uws-loader';
import { CASES } from './cases';
import type { Case, Outcome } from './cases';
import { startRecorder } from './recorder';
import type { Recorder } from './recorder';
import { NODE_OBSERVED, uwsObservedFor } from './front-parsers';
import { caseBytes, code, conformanceConfig, judge, probed, send } from './runner';

interface Column {
  readonly name: string;
  readonly port: number;
  readonly rec: Recorder;
  readonly front?: 'uws' | 'node';
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => r(true));
      s.on('error', () => r(false));
      s.on('connect', () => s.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

function stopChild(c: ChildProcess): Promise<void> {
  return new Promise((r) => {
    c.on('exit', () => r());
    c.kill('SIGTERM');
  });
}

async function haproxy(dir: string): Promise<Column | null> {
  if (spawnSync('haproxy', ['-v']).status !== 0) return null;
  const rec = await startRecorder();
  const port = await freePort();
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(
    file,
    `defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n  timeout http-request 3s\n  option forwardfor\n` +
      `frontend fe\n  bind 127.0.0.1:${port}\n  default_backend be\nbackend be\n  server s1 127.0.0.1:${rec.port}\n`,
  );
  const c = spawn('haproxy', ['-db', '-f', file], { stdio: 'ignore' });
  await waitPort(port);
  const v = spawnSync('haproxy', ['-v']).stdout.toString().split('\n')[0] ?? 'haproxy';
  return {
    name: v.replace(/^HAProxy version ([0-9.]+).*/, 'HAProxy $1'),
    port,
    rec,
    stop: () => stopChild(c),
  };
}

async function nginx(dir: string): Promise<Column | null> {
  if (spawnSync('nginx', ['-v']).status !== 0) return null;
  const rec = await startRecorder();
  const port = await freePort();
  const file = join(dir, 'nginx.conf');
  writeFileSync(
    file,
    `daemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n` +
      `  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};\n` +
      `  server {\n    listen 127.0.0.1:${port};\n    location / {\n      proxy_pass http://127.0.0.1:${rec.port};\n` +
      `      proxy_http_version 1.1;\n      proxy_set_header Connection "";\n` +
      `      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }\n  }\n}\n`,
  );
  const c = spawn('nginx', ['-c', file, '-p', dir], { stdio: 'ignore' });
  await waitPort(port);
  const v = spawnSync('nginx', ['-v']).stderr.toString().trim().replace('nginx version: ', '');
  return { name: v, port, rec, stop: () => stopChild(c) };
}

async function sluice(front: 'uws' | 'node'): Promise<Column> {
  const rec = await startRecorder();
  const p = await startProxy(conformanceConfig(front, rec.port));
  const name = front === 'uws' ? `sluice uws ${loadUws().version}` : 'sluice node';
  return { name, port: p.port('fe'), rec, front, stop: () => p.close() };
}

function cell(c: Case, col: Column, got: Outcome, behind: Outcome | undefined): string {
  const reached = col.rec.tagged(c.id);
  const complete = reached.filter((r) => r.complete).length;
  const k = code(got);
  let s = k === 0 ? 'close' : k === -1 ? 'no answer' : String(k);
  if (complete > 0) s += ` **fwd ${complete}**`;
  else if (reached.length > 0) s += ' (head fwd)';
  if (behind !== undefined && code(behind) !== k)
    s += `; piped: ${code(behind) === 0 ? 'close' : code(behind)}`;
  if (col.front !== undefined && judge(c, col.front, got, behind, reached) !== null) s += ' ✗';
  return s;
}

function want(c: Case): string {
  const e = c.expect;
  return e.kind === 'reject' ? e.status.join('/') : `fwd ${e.requests}`;
}

/** a column recorded elsewhere (`--record`): its name and one cell per case id */
interface RecordedColumn {
  name: string;
  cells: Record<string, string>;
}

function option(name: string): string[] {
  const args = process.argv.slice(2);
  return args.flatMap((a, i) => (a === name && args[i + 1] !== undefined ? [args[i + 1] as string] : []));
}

async function main(): Promise<void> {
  const record = option('--record')[0];
  const recorded = option('--with').map((f) => JSON.parse(readFileSync(f, 'utf8')) as RecordedColumn);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-conf-'));
  const cols: Column[] = [];
  if (uwsAvailable()) cols.push(await sluice('uws'));
  else if (record !== undefined) throw new Error('--record: uWebSockets.js does not load here');
  if (record === undefined) {
    cols.push(await sluice('node'));
    for (const make of [haproxy, nginx]) {
      const c = await make(dir);
      if (c !== null) cols.push(c);
      else
        console.error(`${make.name} is not installed: its column is left out (apt-get install ${make.name})`);
    }
  }
  const rows: string[] = [];
  const saved: RecordedColumn = { name: cols[0]?.name ?? '', cells: {} };
  for (const c of CASES) {
    const cells: string[] = [];
    for (const col of cols) {
      const got = await send(col.port, caseBytes(c, false));
      const behind = probed(c) ? await send(col.port, caseBytes(c, true)) : undefined;
      cells.push(cell(c, col, got, behind));
    }
    saved.cells[c.id] = cells[0] ?? '';
    // the recorded columns go right after sluice's own
    const sluiceCols = cols.filter((x) => x.front !== undefined).length;
    cells.splice(sluiceCols, 0, ...recorded.map((r) => r.cells[c.id] ?? 'not run'));
    const title = c.title.replace(/\|/g, '\\|');
    const decided = [NODE_OBSERVED, uwsObservedFor('20.30'), uwsObservedFor('20.57')].some((m) =>
      m.has(c.id),
    );
    const note = decided ? ' †' : '';
    rows.push(`| ${c.rule} | ${c.id} | ${title} | ${want(c)}${note} | ${cells.join(' | ')} |`);
  }
  if (record !== undefined) {
    writeFileSync(record, JSON.stringify(saved, null, 1));
    console.log(`wrote ${record} (${saved.name}, ${CASES.length} cases)`);
    process.exit(0);
  }
  const names = cols.map((c) => c.name);
  names.splice(cols.filter((x) => x.front !== undefined).length, 0, ...recorded.map((r) => r.name));
  for (const col of cols) await col.stop();
  for (const col of cols) await col.rec.close();
  const out = [
    '# Malformed HTTP/1: sluice, HAProxy and nginx side by side',
    '',
    `Generated on ${new Date().toISOString().slice(0, 10)} by \`npx tsc -p . && node dist/test/conformance/compare.js\``,
    '(test/conformance/compare.ts) from the case table in test/conformance/cases.ts; rules are the',
    'numbers of ../shared/corpus/http1-malformed-rules.md. Every proxy sits in front of the same',
    'recording backend, with `timeout http-request 3s` and X-Forwarded-For.',
    '',
    'Cells: the status answered (`close` = connection closed without a response, `no answer` =',
    'nothing within 400 ms and the connection left open); **fwd N** = N complete requests reached',
    'the backend for this case (including the request pipelined behind a rejected one); `head fwd`',
    '= the head was forwarded but the body never completed; `piped:` = the outcome when a valid',
    'request is pipelined right behind, if different. ✗ = sluice differs from what its conformance',
    'test asserts (should never appear). † = a front parser decides for sluice on this case (see',
    'test/conformance/front-parsers.ts and docs/hardening.md).',
    ...(recorded.length === 0
      ? []
      : [
          '',
          `${recorded.map((r) => r.name).join(', ')}: recorded in a Debian trixie chroot, where that uWS`,
          'build loads, by `bash scripts/trixie.sh node dist/test/conformance/compare.js --record',
          'uws.json` and merged with `--with uws.json` (docs/hardening.md says more).',
        ]),
    '',
    `| rule | id | case | expected | ${names.join(' | ')} |`,
    `|---|---|---|---|${names.map(() => '---').join('|')}|`,
    ...rows,
    '',
  ].join('\n');
  writeFileSync(join(__dirname, '..', '..', '..', 'docs', 'conformance.md'), out);
  console.log(`wrote docs/conformance.md (${rows.length} cases, ${cols.length} columns)`);
  process.exit(0);
}

void main();
