// Command-line parsing, kept pure (no process access) so every flag combination is unit-tested.
// Flags follow haproxy(1): -f (repeatable, or everything after `--`), -c, -q, -v/-vv, -d, plus
// sluice's -w for the worker count and --insecure-run-as-root.

export type Command = 'run' | 'check' | 'version' | 'help';

export interface CliOptions {
  readonly command: Command;
  /** config files or directories, in command-line order */
  readonly files: readonly string[];
  /** 1 for -v / --version, 2 for -vv */
  readonly verbosity: number;
  /** -w: overrides global nbthread */
  readonly workers: number | null;
  /** -d: debug log level */
  readonly debug: boolean;
  /** -q: with -c, print nothing, only the exit code speaks */
  readonly quiet: boolean;
  /** --insecure-run-as-root: the global keyword of that name, for configs that must stay plain
   *  HAProxy (generated ones, e.g. the benchmark suite's) */
  readonly insecureRunAsRoot: boolean;
}

export type ParseResult =
  { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly error: string };

export const USAGE = `Usage: sluice [-c] [-q] [-d] [-w <workers>] [--insecure-run-as-root]
              -f <cfgfile|cfgdir>* [-- <cfgfile>*]
       sluice -v | -vv | --version
       sluice -h | --help
  -f <file|dir>  load this configuration file, or every *.cfg file of this directory in
                 lexical order; repeatable; files after "--" are loaded too
  -c             check the configuration and exit: 0 when valid, 1 on errors
  -q             quiet: with -c, print nothing
  -w <n>         number of worker processes (default: global nbthread, else the CPU count)
  -d             debug logging
  --insecure-run-as-root
                 start as root without "user" in global (workers keep root); the same as
                 the global keyword "insecure-run-as-root"
  -v, -vv        print the version (and build details with -vv) and exit
  -h, --help     print this help and exit
`;

/** Largest -w accepted: far above any CPU count, low enough to catch a typo like -w 80000. */
export const MAX_WORKERS = 4096;

function parseWorkers(raw: string | undefined): number | string {
  if (raw === undefined) return "option '-w' requires a number of workers";
  if (!/^[0-9]+$/.test(raw)) return `invalid worker count '${raw}' for '-w': expected a positive integer`;
  const n = Number(raw);
  if (n < 1 || n > MAX_WORKERS) return `invalid worker count '${raw}' for '-w': expected 1..${MAX_WORKERS}`;
  return n;
}

export function parseArgs(argv: readonly string[]): ParseResult {
  const files: string[] = [];
  let check = false;
  let help = false;
  let verbosity = 0;
  let workers: number | null = null;
  let debug = false;
  let quiet = false;
  let insecureRunAsRoot = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    switch (arg) {
      case '--':
        files.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      case '-f': {
        const file = argv[i + 1];
        if (file === undefined || file === '')
          return { ok: false, error: "option '-f' requires a file name" };
        files.push(file);
        i++;
        break;
      }
      case '-w': {
        const n = parseWorkers(argv[i + 1]);
        if (typeof n === 'string') return { ok: false, error: n };
        workers = n;
        i++;
        break;
      }
      case '-c':
        check = true;
        break;
      case '-q':
        quiet = true;
        break;
      case '-d':
        debug = true;
        break;
      case '--insecure-run-as-root':
        insecureRunAsRoot = true;
        break;
      case '-v':
      case '--version':
        verbosity = Math.max(verbosity, 1);
        break;
      case '-vv':
        verbosity = 2;
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      default:
        return { ok: false, error: `unknown option '${arg}'` };
    }
  }

  // Like haproxy, informational flags win over everything else on the line.
  let command: Command = check ? 'check' : 'run';
  if (verbosity > 0) command = 'version';
  if (help) command = 'help';
  if ((command === 'run' || command === 'check') && files.length === 0) {
    return { ok: false, error: 'no configuration file given (use -f <file|dir>)' };
  }
  return { ok: true, options: { command, files, verbosity, workers, debug, quiet, insecureRunAsRoot } };
}
