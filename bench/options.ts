// What a benchmark run is asked to do, and the argv parser of `npm run bench -- ...`.
// Kept pure (no process access) so the CLI and the smoke test build the same options.
import { join } from 'node:path';

/** `paced`: the suite's own fixed-rate client (loadgen/paced-child.ts), for the scenarios with a rate */
export type ToolName = 'autocannon' | 'wrk' | 'paced';
export type PeerName = 'haproxy' | 'nginx' | 'http-proxy';
export type BackendKind = 'auto' | 'uws' | 'nginx';

export const PEERS: readonly PeerName[] = ['haproxy', 'nginx', 'http-proxy'];

export interface BenchOptions {
  /** scenario ids; empty means every scenario (or the smoke set with smoke) */
  readonly scenarios: readonly string[];
  readonly peers: readonly PeerName[];
  readonly durationSec: number;
  /** overrides each scenario's connection count when set */
  readonly connections: number | null;
  /** null: wrk when installed (throughput ratios need it), autocannon otherwise */
  readonly tool: ToolName | null;
  readonly runs: number;
  readonly smoke: boolean;
  /** also measure the backend without a proxy (the ceiling) */
  readonly direct: boolean;
  readonly backend: BackendKind;
  /** idle keep-alive connections opened by the memory scenario */
  readonly idleConnections: number;
  readonly resultsDir: string;
  /** progress lines; the CLI prints them, the smoke test collects them */
  readonly log: (line: string) => void;
}

export const DEFAULT_RESULTS_DIR = join(__dirname, '..', '..', 'bench', 'results');

export function defaultOptions(): BenchOptions {
  return {
    scenarios: [],
    peers: PEERS,
    durationSec: 10,
    connections: null,
    tool: null,
    runs: 3,
    smoke: false,
    direct: true,
    backend: 'auto',
    idleConnections: 10_000,
    resultsDir: DEFAULT_RESULTS_DIR,
    log: (line) => process.stdout.write(line + '\n'),
  };
}

/** What --smoke means: a few seconds, sluice and the uWS backend only, one short run. */
export function smokeOptions(base: BenchOptions): BenchOptions {
  return {
    ...base,
    smoke: true,
    scenarios: base.scenarios.length > 0 ? base.scenarios : ['get-64'],
    peers: [],
    durationSec: Math.min(base.durationSec, 2),
    runs: 1,
    tool: 'autocannon',
    direct: false,
    backend: 'uws',
  };
}

export const USAGE = `Usage: npm run bench -- [scenario...] [options]
  --peers haproxy,nginx,http-proxy
                          peers to compare with (default: every installed one; "none" for none)
  --duration 10s          length of one measured run
  --connections N         override every scenario's connection count
  --tool autocannon|wrk   load generator (default: wrk when installed, else autocannon)
  --runs 3                runs per target; medians are reported with the min-max spread
  --backend auto|uws|nginx  the fast backend (default: nginx when installed)
  --idle N                connections held open by idle-10k (default 10000)
  --no-direct             skip the no-proxy ceiling
  --results DIR           where JSON, Markdown and SVG go (default bench/results)
  --smoke                 a few seconds: sluice + uWS backend, one short run, no peers
  --list                  list the scenarios and exit`;

export type ParsedArgs =
  | { readonly ok: true; readonly options: BenchOptions; readonly list: boolean; readonly help: boolean }
  | { readonly ok: false; readonly error: string };

/** "10s", "500ms", "1m", "10" (seconds) -> seconds */
export function parseDuration(raw: string): number | null {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(raw);
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const sec = unit === 'ms' ? n / 1000 : unit === 'm' ? n * 60 : n;
  return sec > 0 ? sec : null;
}

function positiveInt(raw: string | undefined): number | null {
  if (raw === undefined || !/^[0-9]+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

export function parseBenchArgs(argv: readonly string[], base = defaultOptions()): ParsedArgs {
  let o: BenchOptions = base;
  let smoke = false;
  let list = false;
  let help = false;
  const scenarios: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--peers': {
        const v = value() ?? '';
        const names = v === 'none' ? [] : v.split(',').filter((x) => x !== '');
        const bad = names.find((n) => !(PEERS as readonly string[]).includes(n));
        if (bad !== undefined)
          return { ok: false, error: `unknown peer '${bad}' (known: ${PEERS.join(', ')})` };
        o = { ...o, peers: names as PeerName[] };
        break;
      }
      case '--duration': {
        const d = parseDuration(value() ?? '');
        if (d === null) return { ok: false, error: "--duration expects a time such as '10s'" };
        o = { ...o, durationSec: d };
        break;
      }
      case '--connections':
      case '--runs':
      case '--idle': {
        const n = positiveInt(value());
        if (n === null) return { ok: false, error: `${flag} expects a positive integer` };
        if (flag === '--connections') o = { ...o, connections: n };
        else if (flag === '--runs') o = { ...o, runs: n };
        else o = { ...o, idleConnections: n };
        break;
      }
      case '--tool': {
        const v = value();
        if (v !== 'autocannon' && v !== 'wrk')
          return { ok: false, error: '--tool expects autocannon or wrk' };
        o = { ...o, tool: v };
        break;
      }
      case '--backend': {
        const v = value();
        if (v !== 'auto' && v !== 'uws' && v !== 'nginx')
          return { ok: false, error: '--backend expects auto, uws or nginx' };
        o = { ...o, backend: v };
        break;
      }
      case '--results': {
        const v = value();
        if (v === undefined || v === '') return { ok: false, error: '--results expects a directory' };
        o = { ...o, resultsDir: v };
        break;
      }
      case '--no-direct':
        o = { ...o, direct: false };
        break;
      case '--smoke':
        smoke = true;
        break;
      case '--list':
        list = true;
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      default:
        if (arg.startsWith('-')) return { ok: false, error: `unknown option '${arg}'` };
        scenarios.push(arg);
    }
  }
  o = { ...o, scenarios };
  if (smoke) o = smokeOptions(o);
  return { ok: true, options: o, list, help };
}
